CREATE SEQUENCE "public"."sefaz_simulator_protocol_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "api_client_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"key_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "api_client_pairing_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"code_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "api_clients" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"scope" text NOT NULL,
	"node_id" uuid NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "login_failures" (
	"email" text PRIMARY KEY NOT NULL,
	"failures" integer NOT NULL,
	"last_failure_at" timestamp with time zone NOT NULL,
	"locked_until" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"address" text,
	"user_agent" text
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" text NOT NULL,
	"node_id" uuid NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"must_change_password" boolean DEFAULT false NOT NULL,
	"password_changed_at" timestamp with time zone,
	"permissions" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	"network_id" uuid NOT NULL,
	"node_id" uuid,
	"node_code" text,
	"node_path" text NOT NULL,
	"actor_kind" text NOT NULL,
	"actor_id" uuid,
	"actor_name" text NOT NULL,
	"actor_role" text,
	"address" text,
	"action" text NOT NULL,
	"target_type" text NOT NULL,
	"target_id" text NOT NULL,
	"target_label" text NOT NULL,
	"before" jsonb,
	"after" jsonb
);
--> statement-breakpoint
CREATE TABLE "product_prices" (
	"product_id" uuid NOT NULL,
	"node_id" uuid NOT NULL,
	"price" numeric(14, 2) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "product_prices_product_id_node_id_pk" PRIMARY KEY("product_id","node_id"),
	CONSTRAINT "product_prices_price_chk" CHECK ("product_prices"."price" >= 0)
);
--> statement-breakpoint
CREATE TABLE "products" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"network_id" uuid NOT NULL,
	"sku" text NOT NULL,
	"ean" text NOT NULL,
	"description" text NOT NULL,
	"ncm" text NOT NULL,
	"unit" text DEFAULT 'UN' NOT NULL,
	"price" numeric(14, 2) NOT NULL,
	"integrates_ecommerce" boolean DEFAULT false NOT NULL,
	"active_ecommerce" boolean DEFAULT false NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "products_price_chk" CHECK ("products"."price" >= 0),
	CONSTRAINT "products_ean_chk" CHECK ("products"."ean" ~ '^[0-9]{13}$'),
	CONSTRAINT "products_ncm_chk" CHECK ("products"."ncm" ~ '^[0-9]{8}$'),
	CONSTRAINT "products_flags_chk" CHECK (not "products"."active_ecommerce" or "products"."integrates_ecommerce")
);
--> statement-breakpoint
CREATE TABLE "promotion_products" (
	"promotion_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	CONSTRAINT "promotion_products_promotion_id_product_id_pk" PRIMARY KEY("promotion_id","product_id")
);
--> statement-breakpoint
CREATE TABLE "promotions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"network_id" uuid NOT NULL,
	"code" text NOT NULL,
	"description" text NOT NULL,
	"modality" text NOT NULL,
	"discount_percent" numeric(5, 2),
	"discount_amount" numeric(14, 2),
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "promotions_discount_chk" CHECK (("promotions"."discount_percent" is null) <> ("promotions"."discount_amount" is null)),
	CONSTRAINT "promotions_discount_range_chk" CHECK (("promotions"."discount_percent" > 0 and "promotions"."discount_percent" <= 100) or "promotions"."discount_amount" > 0),
	CONSTRAINT "promotions_period_chk" CHECK ("promotions"."ends_at" > "promotions"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "connector_connections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"network_id" uuid NOT NULL,
	"platform" text NOT NULL,
	"client_id" uuid NOT NULL,
	"settings" jsonb NOT NULL,
	"secrets" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text
);
--> statement-breakpoint
CREATE TABLE "connector_mappings" (
	"network_id" uuid NOT NULL,
	"platform" text NOT NULL,
	"kind" text NOT NULL,
	"external_code" text NOT NULL,
	"internal_code" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text,
	CONSTRAINT "connector_mappings_network_id_platform_kind_external_code_pk" PRIMARY KEY("network_id","platform","kind","external_code"),
	CONSTRAINT "connector_mappings_codes_chk" CHECK (length("connector_mappings"."external_code") between 1 and 120 and length("connector_mappings"."internal_code") between 1 and 120)
);
--> statement-breakpoint
CREATE TABLE "integration_interfaces" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"network_id" uuid NOT NULL,
	"code" integer NOT NULL,
	"name" text NOT NULL,
	"system" text NOT NULL,
	"direction" text NOT NULL,
	"method" text NOT NULL,
	"schedule_minutes" integer,
	"cron" text,
	"active" boolean DEFAULT true NOT NULL,
	"adapter" text DEFAULT 'none' NOT NULL,
	"adapter_settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"next_run_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text,
	CONSTRAINT "integration_interfaces_schedule_chk" CHECK (("integration_interfaces"."schedule_minutes" is null or "integration_interfaces"."schedule_minutes" between 1 and 10080) and not ("integration_interfaces"."schedule_minutes" is not null and "integration_interfaces"."cron" is not null))
);
--> statement-breakpoint
CREATE TABLE "interface_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"interface_id" uuid NOT NULL,
	"trigger" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"outcome" text NOT NULL,
	"items" integer DEFAULT 0 NOT NULL,
	"message" text,
	"job_id" uuid
);
--> statement-breakpoint
CREATE TABLE "carrier_accounts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"node_id" uuid NOT NULL,
	"carrier_code" text NOT NULL,
	"adapter" text NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"sealed_credentials" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text,
	CONSTRAINT "carrier_accounts_adapter_chk" CHECK (adapter in ('correios', 'melhor_envio')),
	CONSTRAINT "carrier_accounts_code_chk" CHECK ("carrier_accounts"."carrier_code" ~ '^[A-Z0-9_]{1,20}$')
);
--> statement-breakpoint
CREATE TABLE "carrier_transit_times" (
	"network_id" uuid NOT NULL,
	"carrier_code" text NOT NULL,
	"service_code" text DEFAULT '' NOT NULL,
	"from_state" text NOT NULL,
	"to_state" text NOT NULL,
	"days" integer NOT NULL,
	CONSTRAINT "carrier_transit_times_pk" PRIMARY KEY("network_id","carrier_code","service_code","from_state","to_state"),
	CONSTRAINT "carrier_transit_times_days_chk" CHECK ("carrier_transit_times"."days" between 0 and 99)
);
--> statement-breakpoint
CREATE TABLE "delivery_experience_stores" (
	"experience_id" uuid NOT NULL,
	"store_id" uuid NOT NULL,
	"store_path" text NOT NULL,
	CONSTRAINT "delivery_experience_stores_experience_id_store_id_pk" PRIMARY KEY("experience_id","store_id")
);
--> statement-breakpoint
CREATE TABLE "delivery_experiences" (
	"id" uuid PRIMARY KEY NOT NULL,
	"network_id" uuid NOT NULL,
	"code" text NOT NULL,
	"description" text NOT NULL,
	"carrier_code" text,
	"carrier_name" text,
	"service_code" text,
	"type" text NOT NULL,
	"owner_path" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "delivery_experiences_carrier_ship_chk" CHECK ("delivery_experiences"."carrier_code" is null or "delivery_experiences"."type" = 'ship')
);
--> statement-breakpoint
CREATE TABLE "finance_entries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"network_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"key" text,
	"root_order_id" uuid,
	"order_id" uuid,
	"customer_document" text,
	"reference" text,
	"description" text NOT NULL,
	"actor" text NOT NULL,
	"day" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "finance_entries_kind_chk" CHECK (kind in ('acceptance', 'advance_transfer', 'reroute', 'invoice', 'invoice_cancellation', 'advance_release', 'advance_kept', 'return_credit', 'refund'))
);
--> statement-breakpoint
CREATE TABLE "finance_movements" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "finance_movements_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"entry_id" uuid NOT NULL,
	"company_id" uuid NOT NULL,
	"account" text NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	"order_id" uuid,
	"receivable_id" uuid,
	"counterparty_id" uuid,
	"day" date NOT NULL,
	CONSTRAINT "finance_movements_account_chk" CHECK (account in ('receivable', 'customer_advance', 'customer_invoice', 'sales', 'sales_returns', 'customer_credit', 'store_credit', 'cash', 'intercompany')),
	CONSTRAINT "finance_movements_amount_chk" CHECK ("finance_movements"."amount" <> 0)
);
--> statement-breakpoint
CREATE TABLE "finance_payment_methods" (
	"id" uuid PRIMARY KEY NOT NULL,
	"network_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"mapping" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "finance_payment_methods_code_chk" CHECK ("finance_payment_methods"."code" ~ '^[A-Za-z0-9_-]{1,20}$')
);
--> statement-breakpoint
CREATE TABLE "receivables" (
	"id" uuid PRIMARY KEY NOT NULL,
	"network_id" uuid NOT NULL,
	"company_id" uuid NOT NULL,
	"root_order_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"method" text NOT NULL,
	"document_type" text NOT NULL,
	"payment_method_code" text NOT NULL,
	"payment_method_configured" boolean DEFAULT true NOT NULL,
	"party_kind" text NOT NULL,
	"party_document" text NOT NULL,
	"party_name" text,
	"marketplace_unnamed" boolean DEFAULT false NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	"installments" integer DEFAULT 1 NOT NULL,
	"issued_on" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "receivables_document_type_chk" CHECK (document_type in ('credit_card', 'debit_card', 'pix', 'invoice', 'marketplace')),
	CONSTRAINT "receivables_party_kind_chk" CHECK (party_kind in ('customer', 'marketplace', 'party')),
	CONSTRAINT "receivables_amount_chk" CHECK ("receivables"."amount" > 0),
	CONSTRAINT "receivables_installments_chk" CHECK ("receivables"."installments" between 1 and 120)
);
--> statement-breakpoint
CREATE TABLE "refunds" (
	"id" uuid PRIMARY KEY NOT NULL,
	"network_id" uuid NOT NULL,
	"company_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"root_order_id" uuid NOT NULL,
	"method" text NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	"entry_id" uuid NOT NULL,
	"note" text,
	"actor" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "refunds_method_chk" CHECK (method in ('cash', 'pix', 'card_reversal', 'store_credit')),
	CONSTRAINT "refunds_amount_chk" CHECK ("refunds"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "fiscal_contingency_modes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"store_id" uuid NOT NULL,
	"model" smallint DEFAULT 55 NOT NULL,
	"state" text NOT NULL,
	"authoriser" text NOT NULL,
	"emission_type" smallint NOT NULL,
	"raised_at" timestamp with time zone NOT NULL,
	"raised_by" text NOT NULL,
	"since" timestamp with time zone,
	"justification" text,
	"confirmed_by" text,
	"confirmed_by_name" text,
	"ended_at" timestamp with time zone,
	"ended_by" text,
	"ended_by_name" text,
	"end_reason" text,
	CONSTRAINT "fiscal_contingency_modes_state_chk" CHECK (state in ('alarm', 'active', 'ended')),
	CONSTRAINT "fiscal_contingency_modes_model_chk" CHECK ("fiscal_contingency_modes"."model" = 55),
	CONSTRAINT "fiscal_contingency_modes_svc_chk" CHECK (("fiscal_contingency_modes"."authoriser" = 'SVC-AN' and "fiscal_contingency_modes"."emission_type" = 6) or ("fiscal_contingency_modes"."authoriser" = 'SVC-RS' and "fiscal_contingency_modes"."emission_type" = 7)),
	CONSTRAINT "fiscal_contingency_modes_active_chk" CHECK (("fiscal_contingency_modes"."state" = 'alarm') = ("fiscal_contingency_modes"."since" is null) and ("fiscal_contingency_modes"."since" is null) = ("fiscal_contingency_modes"."justification" is null) and ("fiscal_contingency_modes"."since" is null) = ("fiscal_contingency_modes"."confirmed_by" is null) and ("fiscal_contingency_modes"."state" = 'ended') = ("fiscal_contingency_modes"."ended_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "fiscal_documents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"network_id" uuid NOT NULL,
	"store_id" uuid NOT NULL,
	"model" smallint NOT NULL,
	"series" integer NOT NULL,
	"number" integer NOT NULL,
	"access_key" char(44) NOT NULL,
	"cnf" char(8) NOT NULL,
	"status" text NOT NULL,
	"purpose" text NOT NULL,
	"reference_type" text NOT NULL,
	"reference_id" text NOT NULL,
	"xml" text NOT NULL,
	"content" jsonb NOT NULL,
	"protocol" text,
	"rejection_code" integer,
	"rejection_reason" text,
	"authorised_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"contingency_at" timestamp with time zone,
	"online_access_key" char(44),
	"transmit_by" timestamp with time zone,
	"last_transport_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "fiscal_documents_model_chk" CHECK ("fiscal_documents"."model" in (55, 65)),
	CONSTRAINT "fiscal_documents_series_chk" CHECK ("fiscal_documents"."series" between 0 and 999),
	CONSTRAINT "fiscal_documents_number_chk" CHECK ("fiscal_documents"."number" between 1 and 999999999),
	CONSTRAINT "fiscal_documents_status_chk" CHECK (status in ('unsent', 'sending', 'contingency', 'authorised', 'rejected', 'denied', 'cancelled')),
	CONSTRAINT "fiscal_documents_purpose_chk" CHECK (purpose in ('sale', 'transfer_out', 'transfer_in', 'customer_return')),
	CONSTRAINT "fiscal_documents_contingency_chk" CHECK (("fiscal_documents"."contingency_at" is null) = ("fiscal_documents"."transmit_by" is null) and ("fiscal_documents"."status" <> 'contingency' or "fiscal_documents"."contingency_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "fiscal_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"document_id" uuid NOT NULL,
	"type" char(6) NOT NULL,
	"sequence" smallint NOT NULL,
	"justification" text NOT NULL,
	"status" text NOT NULL,
	"xml" text NOT NULL,
	"proc_xml" text,
	"protocol" text,
	"rejection_code" integer,
	"rejection_reason" text,
	"requested_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"registered_at" timestamp with time zone,
	CONSTRAINT "fiscal_events_status_chk" CHECK (status in ('sending', 'registered', 'rejected')),
	CONSTRAINT "fiscal_events_sequence_chk" CHECK ("fiscal_events"."sequence" between 1 and 20)
);
--> statement-breakpoint
CREATE TABLE "fiscal_operations" (
	"node_id" uuid NOT NULL,
	"operation" text NOT NULL,
	"cfop_intrastate" char(4) NOT NULL,
	"cfop_interstate" char(4) NOT NULL,
	"cfop_interstate_non_contributor" char(4),
	"nat_op" text NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fiscal_operations_node_id_operation_pk" PRIMARY KEY("node_id","operation"),
	CONSTRAINT "fiscal_operations_operation_chk" CHECK (operation in ('sale', 'home_delivery', 'pickup', 'transfer_out', 'transfer_in', 'customer_return'))
);
--> statement-breakpoint
CREATE TABLE "fiscal_series_counters" (
	"store_id" uuid NOT NULL,
	"model" smallint NOT NULL,
	"series" integer NOT NULL,
	"last_number" integer NOT NULL,
	CONSTRAINT "fiscal_series_counters_store_id_model_series_pk" PRIMARY KEY("store_id","model","series"),
	CONSTRAINT "fiscal_series_counters_model_chk" CHECK ("fiscal_series_counters"."model" in (55, 65)),
	CONSTRAINT "fiscal_series_counters_series_chk" CHECK ("fiscal_series_counters"."series" between 0 and 999),
	CONSTRAINT "fiscal_series_counters_last_chk" CHECK ("fiscal_series_counters"."last_number" between 0 and 999999999)
);
--> statement-breakpoint
CREATE TABLE "fiscal_settings" (
	"store_id" uuid PRIMARY KEY NOT NULL,
	"environment" char(1) DEFAULT '2' NOT NULL,
	"tax_regime" smallint NOT NULL,
	"icms_rate_intrastate" numeric(5, 2),
	"icms_rate_interstate" numeric(5, 2),
	"certificate" text,
	"certificate_password" text,
	"certificate_subject" text,
	"certificate_not_after" timestamp with time zone,
	"csc_id" text,
	"csc" text,
	"authorizer" text DEFAULT 'simulator' NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fiscal_settings_environment_chk" CHECK ("fiscal_settings"."environment" in ('1', '2')),
	CONSTRAINT "fiscal_settings_regime_chk" CHECK ("fiscal_settings"."tax_regime" between 1 and 4),
	CONSTRAINT "fiscal_settings_certificate_chk" CHECK (("fiscal_settings"."certificate" is null) = ("fiscal_settings"."certificate_password" is null)),
	CONSTRAINT "fiscal_settings_csc_chk" CHECK (("fiscal_settings"."csc_id" is null) = ("fiscal_settings"."csc" is null)),
	CONSTRAINT "fiscal_settings_authorizer_chk" CHECK (authorizer in ('simulator', 'sefaz'))
);
--> statement-breakpoint
CREATE TABLE "fiscal_voided_ranges" (
	"id" uuid PRIMARY KEY NOT NULL,
	"network_id" uuid NOT NULL,
	"store_id" uuid NOT NULL,
	"model" smallint NOT NULL,
	"series" integer NOT NULL,
	"year" smallint NOT NULL,
	"from_number" integer NOT NULL,
	"to_number" integer NOT NULL,
	"justification" text NOT NULL,
	"status" text NOT NULL,
	"origin" text NOT NULL,
	"xml" text NOT NULL,
	"protocol" text,
	"rejection_code" integer,
	"rejection_reason" text,
	"requested_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"voided_at" timestamp with time zone,
	CONSTRAINT "fiscal_voided_ranges_model_chk" CHECK ("fiscal_voided_ranges"."model" in (55, 65)),
	CONSTRAINT "fiscal_voided_ranges_series_chk" CHECK ("fiscal_voided_ranges"."series" between 0 and 999),
	CONSTRAINT "fiscal_voided_ranges_numbers_chk" CHECK ("fiscal_voided_ranges"."from_number" between 1 and 999999999 and "fiscal_voided_ranges"."to_number" between "fiscal_voided_ranges"."from_number" and 999999999),
	CONSTRAINT "fiscal_voided_ranges_status_chk" CHECK (status in ('sending', 'voided', 'rejected')),
	CONSTRAINT "fiscal_voided_ranges_origin_chk" CHECK (origin in ('manual', 'automatic'))
);
--> statement-breakpoint
CREATE TABLE "sefaz_simulator_documents" (
	"access_key" char(44) PRIMARY KEY NOT NULL,
	"protocol" text NOT NULL,
	"emitter_cnpj" text NOT NULL,
	"model" char(2) NOT NULL,
	"series" integer NOT NULL,
	"number" integer NOT NULL,
	"authorized_at" timestamp with time zone NOT NULL,
	"nfe_proc_xml" text NOT NULL,
	"cancellation_protocol" text,
	"cancelled_at" timestamp with time zone,
	"corrections" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "sefaz_simulator_documents_cancellation_chk" CHECK (("sefaz_simulator_documents"."cancellation_protocol" is null) = ("sefaz_simulator_documents"."cancelled_at" is null))
);
--> statement-breakpoint
CREATE TABLE "sefaz_simulator_state" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"available" boolean DEFAULT true NOT NULL,
	"changed_by" text,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sefaz_simulator_state_single_chk" CHECK ("sefaz_simulator_state"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "sefaz_simulator_voided_ranges" (
	"id" text PRIMARY KEY NOT NULL,
	"emitter_cnpj" text NOT NULL,
	"model" char(2) NOT NULL,
	"series" integer NOT NULL,
	"from_number" integer NOT NULL,
	"to_number" integer NOT NULL,
	"protocol" text NOT NULL,
	"voided_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "order_conference_counts" (
	"conference_id" uuid NOT NULL,
	"line" integer NOT NULL,
	"counted" integer NOT NULL,
	CONSTRAINT "order_conference_counts_conference_id_line_pk" PRIMARY KEY("conference_id","line"),
	CONSTRAINT "order_conference_counts_counted_chk" CHECK ("order_conference_counts"."counted" >= 0)
);
--> statement-breakpoint
CREATE TABLE "order_conferences" (
	"id" uuid PRIMARY KEY NOT NULL,
	"order_id" uuid NOT NULL,
	"status" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"started_by_id" text NOT NULL,
	"started_by_name" text NOT NULL,
	"started_by_role" text NOT NULL,
	"finished_at" timestamp with time zone,
	"finished_by_id" text,
	"finished_by_name" text,
	"finished_by_role" text,
	"restarted_at" timestamp with time zone,
	"restarted_by_name" text,
	"restart_reason" text,
	CONSTRAINT "order_conferences_status_chk" CHECK (status in ('counting', 'finished', 'restarted')),
	CONSTRAINT "order_conferences_finished_chk" CHECK (("order_conferences"."status" = 'counting') = ("order_conferences"."finished_at" is null) or "order_conferences"."status" = 'restarted')
);
--> statement-breakpoint
CREATE TABLE "pickup_receipt_prints" (
	"order_id" uuid PRIMARY KEY NOT NULL,
	"prints" integer NOT NULL,
	"first_at" timestamp with time zone NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	CONSTRAINT "pickup_receipt_prints_chk" CHECK ("pickup_receipt_prints"."prints" > 0)
);
--> statement-breakpoint
CREATE TABLE "webhook_attempts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"delivery_id" uuid NOT NULL,
	"attempt" integer NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"url" text NOT NULL,
	"response_status" integer,
	"latency_ms" integer NOT NULL,
	"error" text,
	"response_excerpt" text
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"network_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"event" text NOT NULL,
	"body" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone,
	"last_error" text,
	CONSTRAINT "webhook_deliveries_seq_chk" CHECK ("webhook_deliveries"."seq" >= 1 and "webhook_deliveries"."attempts" >= 0)
);
--> statement-breakpoint
CREATE TABLE "webhook_endpoints" (
	"client_id" uuid PRIMARY KEY NOT NULL,
	"url" text NOT NULL,
	"kind" text DEFAULT 'http' NOT NULL,
	"secret" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "nodes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"network_id" uuid NOT NULL,
	"parent_id" uuid,
	"kind" text NOT NULL,
	"code" text NOT NULL,
	"path" text NOT NULL,
	"name" text NOT NULL,
	"legal_name" text NOT NULL,
	"cnpj" text,
	"state_registration" text,
	"street" text,
	"number" text,
	"complement" text,
	"district" text,
	"city" text,
	"city_code" text,
	"state" text,
	"postal_code" text,
	"latitude" numeric(9, 6),
	"longitude" numeric(9, 6),
	"email" text,
	"visibility" text DEFAULT 'private' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "nodes_root_chk" CHECK (("nodes"."kind" = 'network') = ("nodes"."parent_id" is null)),
	CONSTRAINT "nodes_store_cnpj_chk" CHECK ("nodes"."kind" <> 'store' or "nodes"."cnpj" is not null)
);
--> statement-breakpoint
CREATE TABLE "notification_templates" (
	"network_id" uuid NOT NULL,
	"code" text NOT NULL,
	"subject" text NOT NULL,
	"text" text NOT NULL,
	"html" text NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_templates_network_id_code_pk" PRIMARY KEY("network_id","code")
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"network_id" uuid NOT NULL,
	"store_id" uuid NOT NULL,
	"reference_type" text NOT NULL,
	"reference_id" uuid NOT NULL,
	"order_id" uuid,
	"channel" text NOT NULL,
	"recipient" text NOT NULL,
	"template" text NOT NULL,
	"variables" jsonb NOT NULL,
	"links" jsonb NOT NULL,
	"subject" text,
	"text" text,
	"html" text,
	"whatsapp_parameters" jsonb,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"provider_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"next_attempt_at" timestamp with time zone,
	"sent_by" text
);
--> statement-breakpoint
CREATE TABLE "whatsapp_accounts" (
	"network_id" uuid PRIMARY KEY NOT NULL,
	"phone_number_id" text NOT NULL,
	"business_account_id" text NOT NULL,
	"base_url" text NOT NULL,
	"api_version" text NOT NULL,
	"language" text DEFAULT 'pt_BR' NOT NULL,
	"access_token" text NOT NULL,
	"templates" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "whatsapp_accounts_templates_chk" CHECK (jsonb_typeof("whatsapp_accounts"."templates") = 'object')
);
--> statement-breakpoint
CREATE TABLE "endless_aisle_sales" (
	"order_id" uuid PRIMARY KEY NOT NULL,
	"selling_store_id" uuid NOT NULL,
	"representative" text,
	"print_model" text,
	"block_reason" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "order_counters" (
	"store_id" uuid PRIMARY KEY NOT NULL,
	"last_number" integer NOT NULL,
	CONSTRAINT "order_counters_last_chk" CHECK ("order_counters"."last_number" > 0)
);
--> statement-breakpoint
CREATE TABLE "order_history" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "order_history_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"order_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_kind" text NOT NULL,
	"actor_id" text NOT NULL,
	"actor_name" text NOT NULL,
	"actor_role" text NOT NULL,
	"channel" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"reason" text,
	CONSTRAINT "order_history_channel_chk" CHECK (channel in ('platform', 'back_office', 'pos', 'system'))
);
--> statement-breakpoint
CREATE TABLE "order_items" (
	"order_id" uuid NOT NULL,
	"line" integer NOT NULL,
	"product_id" uuid NOT NULL,
	"sku" text NOT NULL,
	"description" text NOT NULL,
	"quantity" integer NOT NULL,
	"unit_price" numeric(14, 2) NOT NULL,
	"discount" numeric(14, 2) NOT NULL,
	"total" numeric(14, 2) NOT NULL,
	CONSTRAINT "order_items_order_id_line_pk" PRIMARY KEY("order_id","line"),
	CONSTRAINT "order_items_quantity_chk" CHECK ("order_items"."quantity" > 0),
	CONSTRAINT "order_items_amounts_chk" CHECK ("order_items"."unit_price" >= 0 and "order_items"."discount" >= 0 and "order_items"."discount" <= "order_items"."unit_price" * "order_items"."quantity"),
	CONSTRAINT "order_items_total_chk" CHECK ("order_items"."total" = "order_items"."unit_price" * "order_items"."quantity" - "order_items"."discount")
);
--> statement-breakpoint
CREATE TABLE "order_notes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"order_id" uuid NOT NULL,
	"text" text NOT NULL,
	"author_kind" text NOT NULL,
	"author_id" text NOT NULL,
	"author_name" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "order_notes_text_chk" CHECK (char_length("order_notes"."text") between 1 and 2000)
);
--> statement-breakpoint
CREATE TABLE "order_payments" (
	"order_id" uuid NOT NULL,
	"line" integer NOT NULL,
	"method" text NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	"installments" integer,
	"party_document" text,
	CONSTRAINT "order_payments_order_id_line_pk" PRIMARY KEY("order_id","line"),
	CONSTRAINT "order_payments_method_chk" CHECK (method in ('credit_card', 'debit_card', 'pix', 'invoice', 'marketplace')),
	CONSTRAINT "order_payments_amount_chk" CHECK ("order_payments"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "order_pickups" (
	"order_id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"document" text,
	"document_kind" text,
	"at" timestamp with time zone NOT NULL,
	"handed_by_kind" text NOT NULL,
	"handed_by_id" text NOT NULL,
	"handed_by_name" text NOT NULL,
	"channel" text NOT NULL,
	CONSTRAINT "order_pickups_name_chk" CHECK (char_length("order_pickups"."name") between 2 and 100),
	CONSTRAINT "order_pickups_document_kind_chk" CHECK ("order_pickups"."document_kind" in ('cpf', 'cnpj', 'other'))
);
--> statement-breakpoint
CREATE TABLE "order_shipments" (
	"order_id" uuid PRIMARY KEY NOT NULL,
	"network_id" uuid NOT NULL,
	"carrier" text NOT NULL,
	"service" text,
	"tracking_code" text,
	"tracking_url" text,
	"source" text NOT NULL,
	"carrier_shipment_id" text,
	"carrier_label" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "order_shipments_source_chk" CHECK (source in ('platform', 'back_office', 'carrier'))
);
--> statement-breakpoint
CREATE TABLE "order_status_count_changes" (
	"store_id" uuid NOT NULL,
	"day" date NOT NULL,
	"status" text NOT NULL,
	"orders" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "order_status_counts" (
	"store_id" uuid NOT NULL,
	"day" date NOT NULL,
	"status" text NOT NULL,
	"orders" integer NOT NULL,
	CONSTRAINT "order_status_counts_store_id_day_status_pk" PRIMARY KEY("store_id","day","status")
);
--> statement-breakpoint
CREATE TABLE "order_tracking_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"order_id" uuid,
	"network_id" uuid,
	"carrier" text NOT NULL,
	"tracking_code" text NOT NULL,
	"event_id" text NOT NULL,
	"status" text NOT NULL,
	"carrier_event_code" text NOT NULL,
	"description" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"location" text,
	"received_at" timestamp with time zone NOT NULL,
	"source" text NOT NULL,
	CONSTRAINT "order_tracking_events_status_chk" CHECK (status in ('posted', 'in_transit', 'out_for_delivery', 'delivered', 'delivery_failed', 'returning', 'cancelled')),
	CONSTRAINT "order_tracking_events_source_chk" CHECK (source in ('webhook', 'poll', 'manual'))
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" uuid PRIMARY KEY NOT NULL,
	"network_id" uuid NOT NULL,
	"store_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"number" integer,
	"external_id" text NOT NULL,
	"request_hash" text NOT NULL,
	"channel" text NOT NULL,
	"modality" text NOT NULL,
	"delivery_type" text NOT NULL,
	"status" text NOT NULL,
	"customer_name" text NOT NULL,
	"customer_document" text NOT NULL,
	"customer_email" text NOT NULL,
	"customer_phone" text NOT NULL,
	"customer_address" jsonb,
	"carrier" text,
	"items_total" numeric(14, 2) NOT NULL,
	"discount_total" numeric(14, 2) NOT NULL,
	"freight" numeric(14, 2) NOT NULL,
	"total" numeric(14, 2) NOT NULL,
	"paid" boolean DEFAULT true NOT NULL,
	"classification" text NOT NULL,
	"arrived_at" timestamp with time zone,
	"expected_invoice_at" timestamp with time zone,
	"shortfall" jsonb,
	"conferred_at" timestamp with time zone,
	"placed_at" timestamp with time zone NOT NULL,
	"pos_downloaded_at" timestamp with time zone,
	"rerouted_from_id" uuid,
	"salesperson_id" uuid,
	"salesperson_name" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "orders_status_chk" CHECK (status in ('open', 'awaiting_stock', 'accepted', 'picking', 'ready_for_pickup', 'invoicing', 'invoiced', 'in_transit', 'delivered', 'cancelled')),
	CONSTRAINT "orders_delivery_type_chk" CHECK (delivery_type in ('pickup', 'ship')),
	CONSTRAINT "orders_modality_chk" CHECK (modality in ('ecommerce', 'endless_aisle')),
	CONSTRAINT "orders_number_chk" CHECK ("orders"."number" is null or "orders"."number" > 0),
	CONSTRAINT "orders_amounts_chk" CHECK ("orders"."items_total" >= 0 and "orders"."discount_total" >= 0 and "orders"."discount_total" <= "orders"."items_total" and "orders"."freight" >= 0),
	CONSTRAINT "orders_total_chk" CHECK ("orders"."total" = "orders"."items_total" - "orders"."discount_total" + "orders"."freight")
);
--> statement-breakpoint
CREATE TABLE "parameter_values" (
	"node_id" uuid NOT NULL,
	"code" text NOT NULL,
	"value" jsonb NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "parameter_values_node_id_code_pk" PRIMARY KEY("node_id","code")
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"principal_id" text NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"state" text NOT NULL,
	"response_status" integer,
	"response_type" text,
	"response_body" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_principal_id_key_pk" PRIMARY KEY("principal_id","key")
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"queue" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer DEFAULT 5 NOT NULL,
	"run_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone,
	"progress_done" integer DEFAULT 0 NOT NULL,
	"progress_total" integer,
	"result" jsonb,
	"last_error" text,
	"created_by" text,
	"owner_node_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "jobs_attempts_chk" CHECK ("jobs"."attempts" >= 0 and "jobs"."max_attempts" >= 1)
);
--> statement-breakpoint
CREATE TABLE "ticket_contents" (
	"ticket_id" uuid PRIMARY KEY NOT NULL,
	"request" text,
	"response" text,
	"truncated" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tickets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"network_id" uuid,
	"direction" text NOT NULL,
	"system" text NOT NULL,
	"method" text NOT NULL,
	"kind" text NOT NULL,
	"module_code" integer,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 1 NOT NULL,
	"order_id" uuid,
	"client_id" uuid,
	"reference" text,
	"url" text,
	"http_status" integer,
	"latency_ms" integer DEFAULT 0 NOT NULL,
	"request_bytes" integer DEFAULT 0 NOT NULL,
	"response_bytes" integer DEFAULT 0 NOT NULL,
	"error" text,
	"reprocess_of" uuid,
	"reprocess_reason" text,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tickets_counts_chk" CHECK ("tickets"."attempts" >= 0 and "tickets"."latency_ms" >= 0)
);
--> statement-breakpoint
CREATE TABLE "order_return_items" (
	"return_id" uuid NOT NULL,
	"line" integer NOT NULL,
	"product_id" uuid NOT NULL,
	"sku" text NOT NULL,
	"description" text NOT NULL,
	"quantity" integer NOT NULL,
	"unit_price" numeric(14, 2) NOT NULL,
	"discount" numeric(14, 2) NOT NULL,
	"total" numeric(14, 2) NOT NULL,
	CONSTRAINT "order_return_items_return_id_line_pk" PRIMARY KEY("return_id","line"),
	CONSTRAINT "order_return_items_quantity_chk" CHECK ("order_return_items"."quantity" > 0),
	CONSTRAINT "order_return_items_total_chk" CHECK ("order_return_items"."total" = "order_return_items"."unit_price" * "order_return_items"."quantity" - "order_return_items"."discount")
);
--> statement-breakpoint
CREATE TABLE "order_returns" (
	"id" uuid PRIMARY KEY NOT NULL,
	"network_id" uuid NOT NULL,
	"store_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"reason_id" uuid,
	"reason_code" text,
	"reason_description" text,
	"refund_method" text,
	"refund_amount" numeric(14, 2),
	"total" numeric(14, 2) NOT NULL,
	"full" boolean NOT NULL,
	"fiscal_document_id" uuid NOT NULL,
	"original_document_id" uuid NOT NULL,
	"actor_kind" text NOT NULL,
	"actor_id" text NOT NULL,
	"actor_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "order_returns_refund_chk" CHECK ("order_returns"."refund_amount" is null or "order_returns"."refund_amount" >= 0),
	CONSTRAINT "order_returns_total_chk" CHECK ("order_returns"."total" >= 0)
);
--> statement-breakpoint
CREATE TABLE "return_reasons" (
	"id" uuid PRIMARY KEY NOT NULL,
	"network_id" uuid NOT NULL,
	"code" text NOT NULL,
	"type" text NOT NULL,
	"description" text NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "return_reasons_type_chk" CHECK (type in ('oms_order_return', 'store_sale_return')),
	CONSTRAINT "return_reasons_period_chk" CHECK ("return_reasons"."valid_to" is null or "return_reasons"."valid_to" >= "return_reasons"."valid_from")
);
--> statement-breakpoint
CREATE TABLE "customers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"network_id" uuid NOT NULL,
	"document" text NOT NULL,
	"name" text NOT NULL,
	"email" text,
	"phone" text,
	"birth_date" date,
	"origin_store_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pos_sync_contacts" (
	"store_id" uuid NOT NULL,
	"terminal" text NOT NULL,
	"last_contact_at" timestamp with time zone NOT NULL,
	"pending_uploads" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "pos_sync_contacts_store_id_terminal_pk" PRIMARY KEY("store_id","terminal")
);
--> statement-breakpoint
CREATE TABLE "pos_sync_controls" (
	"store_id" uuid NOT NULL,
	"data_type" text NOT NULL,
	"last_download_at" timestamp with time zone,
	"cursor_xid" bigint DEFAULT 0 NOT NULL,
	"cursor_seq" bigint DEFAULT 0 NOT NULL,
	"in_progress" boolean DEFAULT false NOT NULL,
	"full_load_requested" boolean DEFAULT false NOT NULL,
	"records" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pos_sync_controls_store_id_data_type_pk" PRIMARY KEY("store_id","data_type"),
	CONSTRAINT "pos_sync_controls_type_chk" CHECK (data_type in ('parameters', 'store-setup', 'products', 'product-eans', 'kits', 'stock', 'prices', 'ecf-taxes', 'ncm-taxes', 'ncm', 'pis-cofins', 'icms-st', 'icms-withheld', 'fcp-balance', 'discount-reasons', 'discount-rules', 'payment-methods', 'employees', 'customers', 'suppliers', 'states', 'cities', 'lgpd-letter', 'lgpd-settings', 'sale-modalities', 'sales-channels', 'campaigns', 'sms-promotions', 'loyalty', 'return-reasons', 'pre-sales'))
);
--> statement-breakpoint
CREATE TABLE "pos_sync_exceptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"store_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pos_sync_intervals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"network_id" uuid NOT NULL,
	"store_id" uuid,
	"data_type" text NOT NULL,
	"minutes" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text NOT NULL,
	CONSTRAINT "pos_sync_intervals_type_chk" CHECK (data_type in ('parameters', 'store-setup', 'products', 'product-eans', 'kits', 'stock', 'prices', 'ecf-taxes', 'ncm-taxes', 'ncm', 'pis-cofins', 'icms-st', 'icms-withheld', 'fcp-balance', 'discount-reasons', 'discount-rules', 'payment-methods', 'employees', 'customers', 'suppliers', 'states', 'cities', 'lgpd-letter', 'lgpd-settings', 'sale-modalities', 'sales-channels', 'campaigns', 'sms-promotions', 'loyalty', 'return-reasons', 'pre-sales')),
	CONSTRAINT "pos_sync_intervals_minutes_chk" CHECK ("pos_sync_intervals"."minutes" between 0 and 10080)
);
--> statement-breakpoint
CREATE TABLE "pos_sync_records" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "pos_sync_records_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"network_id" uuid NOT NULL,
	"data_type" text NOT NULL,
	"scope_node_id" uuid NOT NULL,
	"record_key" text NOT NULL,
	"payload" jsonb,
	"deleted" boolean DEFAULT false NOT NULL,
	"xid" bigint NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pos_sync_records_type_chk" CHECK (data_type in ('parameters', 'store-setup', 'products', 'product-eans', 'kits', 'stock', 'prices', 'ecf-taxes', 'ncm-taxes', 'ncm', 'pis-cofins', 'icms-st', 'icms-withheld', 'fcp-balance', 'discount-reasons', 'discount-rules', 'payment-methods', 'employees', 'customers', 'suppliers', 'states', 'cities', 'lgpd-letter', 'lgpd-settings', 'sale-modalities', 'sales-channels', 'campaigns', 'sms-promotions', 'loyalty', 'return-reasons', 'pre-sales')),
	CONSTRAINT "pos_sync_records_tombstone_chk" CHECK (("pos_sync_records"."payload" is null) = "pos_sync_records"."deleted")
);
--> statement-breakpoint
CREATE TABLE "pos_cash_movements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"session_id" uuid NOT NULL,
	"pos_id" text NOT NULL,
	"type" text NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	"reason" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	CONSTRAINT "pos_cash_movements_type_chk" CHECK (type in ('withdrawal', 'supply')),
	CONSTRAINT "pos_cash_movements_amount_chk" CHECK ("pos_cash_movements"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "pos_cash_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"network_id" uuid NOT NULL,
	"store_id" uuid NOT NULL,
	"terminal" text NOT NULL,
	"pos_id" text NOT NULL,
	"operator" text,
	"opening_amount" numeric(14, 2) NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"closing_pos_id" text,
	"counted_amount" numeric(14, 2),
	"expected_amount" numeric(14, 2),
	"difference" numeric(14, 2),
	"closed_at" timestamp with time zone,
	CONSTRAINT "pos_cash_sessions_opening_chk" CHECK ("pos_cash_sessions"."opening_amount" >= 0)
);
--> statement-breakpoint
CREATE TABLE "pos_sale_items" (
	"sale_id" uuid NOT NULL,
	"line" integer NOT NULL,
	"product_id" uuid NOT NULL,
	"sku" text NOT NULL,
	"quantity" integer NOT NULL,
	"unit_price" numeric(14, 2) NOT NULL,
	"discount" numeric(14, 2) NOT NULL,
	CONSTRAINT "pos_sale_items_quantity_chk" CHECK ("pos_sale_items"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "pos_sale_payments" (
	"sale_id" uuid NOT NULL,
	"line" integer NOT NULL,
	"method" text NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	CONSTRAINT "pos_sale_payments_method_chk" CHECK (method in ('cash', 'credit_card', 'debit_card', 'pix', 'voucher', 'store_credit'))
);
--> statement-breakpoint
CREATE TABLE "pos_sales" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"network_id" uuid NOT NULL,
	"store_id" uuid NOT NULL,
	"terminal" text NOT NULL,
	"pos_id" text NOT NULL,
	"cash_session_id" uuid,
	"customer_document" text,
	"total" numeric(14, 2) NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"nfce_xml" text,
	"nfce_access_key" text,
	"fiscal_document_id" uuid,
	"fiscal_status" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pos_upload_rejections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"network_id" uuid NOT NULL,
	"store_id" uuid NOT NULL,
	"terminal" text,
	"sequence" bigint,
	"kind" text NOT NULL,
	"pos_id" text,
	"code" text NOT NULL,
	"message" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"payload" jsonb,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	"attempts" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pos_uploads" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"network_id" uuid NOT NULL,
	"store_id" uuid NOT NULL,
	"terminal" text NOT NULL,
	"sequence" bigint NOT NULL,
	"kind" text NOT NULL,
	"pos_id" text NOT NULL,
	"payload" jsonb NOT NULL,
	"result" jsonb NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pos_uploads_kind_chk" CHECK (kind in ('cash-opening', 'cash-movement', 'cash-closing', 'customer', 'sale', 'z-reduction'))
);
--> statement-breakpoint
CREATE TABLE "pos_z_reductions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"network_id" uuid NOT NULL,
	"store_id" uuid NOT NULL,
	"terminal" text NOT NULL,
	"pos_id" text NOT NULL,
	"day" date NOT NULL,
	"counter" integer NOT NULL,
	"sales_count" integer NOT NULL,
	"gross_total" numeric(14, 2) NOT NULL,
	"cancellations" numeric(14, 2) NOT NULL,
	"discounts" numeric(14, 2) NOT NULL,
	"net_total" numeric(14, 2) NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "channel_sales" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "channel_sales_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"network_id" uuid NOT NULL,
	"store_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"source_type" text NOT NULL,
	"source_id" text NOT NULL,
	"day" date NOT NULL,
	"invoiced_at" timestamp with time zone NOT NULL,
	"value" numeric(14, 2) NOT NULL,
	CONSTRAINT "channel_sales_channel_chk" CHECK ("channel_sales"."channel" in ('omni', 'pos')),
	CONSTRAINT "channel_sales_value_chk" CHECK ("channel_sales"."value" >= 0)
);
--> statement-breakpoint
CREATE TABLE "stock_request_lines" (
	"request_id" uuid NOT NULL,
	"line" integer NOT NULL,
	"product_id" uuid NOT NULL,
	"sku" text NOT NULL,
	"quantity" integer NOT NULL,
	"reservation_id" uuid NOT NULL,
	CONSTRAINT "stock_request_lines_request_id_line_pk" PRIMARY KEY("request_id","line"),
	CONSTRAINT "stock_request_lines_quantity_chk" CHECK ("stock_request_lines"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "stock_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"network_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"main_store_id" uuid NOT NULL,
	"support_store_id" uuid NOT NULL,
	"status" text NOT NULL,
	"block_reason" text,
	"rejection_reason" text,
	"transfer_document_id" uuid,
	"entry_cfop" text,
	"expected_at" timestamp with time zone NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"accepted_at" timestamp with time zone,
	"invoiced_at" timestamp with time zone,
	"received_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "stock_requests_status_chk" CHECK (status in ('requested', 'accepted', 'invoicing', 'in_transit', 'received', 'rejected', 'cancelled')),
	CONSTRAINT "stock_requests_stores_chk" CHECK ("stock_requests"."main_store_id" <> "stock_requests"."support_store_id")
);
--> statement-breakpoint
CREATE TABLE "stock_balances" (
	"store_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"on_hand" integer DEFAULT 0 NOT NULL,
	"reserved" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stock_balances_store_id_product_id_pk" PRIMARY KEY("store_id","product_id"),
	CONSTRAINT "stock_balances_reserved_chk" CHECK ("stock_balances"."reserved" >= 0),
	CONSTRAINT "stock_balances_on_hand_chk" CHECK ("stock_balances"."on_hand" >= "stock_balances"."reserved")
);
--> statement-breakpoint
CREATE TABLE "stock_feed" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "stock_feed_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"network_id" uuid NOT NULL,
	"store_id" uuid NOT NULL,
	"store_code" text NOT NULL,
	"product_id" uuid NOT NULL,
	"sku" text NOT NULL,
	"on_hand" integer NOT NULL,
	"reserved" integer NOT NULL,
	"available" integer NOT NULL,
	"kind" text NOT NULL,
	"reason" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	"platform_pushed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "stock_feed_leases" (
	"network_id" uuid NOT NULL,
	"consumer" text NOT NULL,
	"holder" text NOT NULL,
	"lease_until" timestamp with time zone NOT NULL,
	CONSTRAINT "stock_feed_leases_network_id_consumer_pk" PRIMARY KEY("network_id","consumer")
);
--> statement-breakpoint
CREATE TABLE "stock_movements" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "stock_movements_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"store_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"on_hand_delta" integer NOT NULL,
	"reserved_delta" integer NOT NULL,
	"reason" text,
	"reference_type" text,
	"reference_id" text,
	"reservation_id" uuid,
	"actor" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stock_movements_deltas_chk" CHECK (case kind when 'adjustment' then on_hand_delta <> 0 and reserved_delta = 0 when 'sale' then on_hand_delta < 0 and reserved_delta between on_hand_delta and 0 when 'transfer_out' then on_hand_delta < 0 and reserved_delta between on_hand_delta and 0 when 'transfer_in' then on_hand_delta > 0 and reserved_delta = 0 when 'return' then on_hand_delta > 0 and reserved_delta = 0 when 'reservation' then on_hand_delta = 0 and reserved_delta > 0 when 'release' then on_hand_delta = 0 and reserved_delta < 0 else false end)
);
--> statement-breakpoint
CREATE TABLE "stock_reservations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"store_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"reference_type" text,
	"reference_id" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	CONSTRAINT "stock_reservations_quantity_chk" CHECK ("stock_reservations"."quantity" > 0),
	CONSTRAINT "stock_reservations_status_chk" CHECK (status in ('active', 'released', 'consumed')),
	CONSTRAINT "stock_reservations_closed_chk" CHECK (("stock_reservations"."status" = 'active') = ("stock_reservations"."closed_at" is null))
);
--> statement-breakpoint
ALTER TABLE "api_client_keys" ADD CONSTRAINT "api_client_keys_client_id_api_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."api_clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_client_pairing_codes" ADD CONSTRAINT "api_client_pairing_codes_client_id_api_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."api_clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_clients" ADD CONSTRAINT "api_clients_node_id_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_node_id_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_prices" ADD CONSTRAINT "product_prices_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_prices" ADD CONSTRAINT "product_prices_node_id_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_network_id_nodes_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotion_products" ADD CONSTRAINT "promotion_products_promotion_id_promotions_id_fk" FOREIGN KEY ("promotion_id") REFERENCES "public"."promotions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotion_products" ADD CONSTRAINT "promotion_products_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotions" ADD CONSTRAINT "promotions_network_id_nodes_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connector_connections" ADD CONSTRAINT "connector_connections_network_id_nodes_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connector_connections" ADD CONSTRAINT "connector_connections_client_id_api_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."api_clients"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connector_mappings" ADD CONSTRAINT "connector_mappings_network_id_nodes_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integration_interfaces" ADD CONSTRAINT "integration_interfaces_network_id_nodes_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interface_runs" ADD CONSTRAINT "interface_runs_interface_id_integration_interfaces_id_fk" FOREIGN KEY ("interface_id") REFERENCES "public"."integration_interfaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "carrier_accounts" ADD CONSTRAINT "carrier_accounts_node_id_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "carrier_transit_times" ADD CONSTRAINT "carrier_transit_times_network_id_nodes_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_experience_stores" ADD CONSTRAINT "delivery_experience_stores_experience_id_delivery_experiences_id_fk" FOREIGN KEY ("experience_id") REFERENCES "public"."delivery_experiences"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_experience_stores" ADD CONSTRAINT "delivery_experience_stores_store_id_nodes_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_experiences" ADD CONSTRAINT "delivery_experiences_network_id_nodes_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "finance_entries" ADD CONSTRAINT "finance_entries_network_id_nodes_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "finance_movements" ADD CONSTRAINT "finance_movements_entry_id_finance_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."finance_entries"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "finance_movements" ADD CONSTRAINT "finance_movements_company_id_nodes_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "finance_movements" ADD CONSTRAINT "finance_movements_receivable_id_receivables_id_fk" FOREIGN KEY ("receivable_id") REFERENCES "public"."receivables"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "finance_movements" ADD CONSTRAINT "finance_movements_counterparty_id_nodes_id_fk" FOREIGN KEY ("counterparty_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "finance_payment_methods" ADD CONSTRAINT "finance_payment_methods_network_id_nodes_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receivables" ADD CONSTRAINT "receivables_network_id_nodes_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receivables" ADD CONSTRAINT "receivables_company_id_nodes_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_network_id_nodes_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_company_id_nodes_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_entry_id_finance_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."finance_entries"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fiscal_contingency_modes" ADD CONSTRAINT "fiscal_contingency_modes_store_id_nodes_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fiscal_documents" ADD CONSTRAINT "fiscal_documents_network_id_nodes_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fiscal_documents" ADD CONSTRAINT "fiscal_documents_store_id_nodes_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fiscal_events" ADD CONSTRAINT "fiscal_events_document_id_fiscal_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."fiscal_documents"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fiscal_operations" ADD CONSTRAINT "fiscal_operations_node_id_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fiscal_series_counters" ADD CONSTRAINT "fiscal_series_counters_store_id_nodes_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fiscal_settings" ADD CONSTRAINT "fiscal_settings_store_id_nodes_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fiscal_voided_ranges" ADD CONSTRAINT "fiscal_voided_ranges_network_id_nodes_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fiscal_voided_ranges" ADD CONSTRAINT "fiscal_voided_ranges_store_id_nodes_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_conference_counts" ADD CONSTRAINT "order_conference_counts_conference_id_order_conferences_id_fk" FOREIGN KEY ("conference_id") REFERENCES "public"."order_conferences"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_conferences" ADD CONSTRAINT "order_conferences_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pickup_receipt_prints" ADD CONSTRAINT "pickup_receipt_prints_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_delivery_id_webhook_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."webhook_deliveries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_client_id_api_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."api_clients"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_client_id_api_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."api_clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "nodes" ADD CONSTRAINT "nodes_parent_id_nodes_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whatsapp_accounts" ADD CONSTRAINT "whatsapp_accounts_network_id_nodes_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "endless_aisle_sales" ADD CONSTRAINT "endless_aisle_sales_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "endless_aisle_sales" ADD CONSTRAINT "endless_aisle_sales_selling_store_id_nodes_id_fk" FOREIGN KEY ("selling_store_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_counters" ADD CONSTRAINT "order_counters_store_id_nodes_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_history" ADD CONSTRAINT "order_history_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_notes" ADD CONSTRAINT "order_notes_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_payments" ADD CONSTRAINT "order_payments_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_pickups" ADD CONSTRAINT "order_pickups_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_shipments" ADD CONSTRAINT "order_shipments_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_shipments" ADD CONSTRAINT "order_shipments_network_id_nodes_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_tracking_events" ADD CONSTRAINT "order_tracking_events_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_tracking_events" ADD CONSTRAINT "order_tracking_events_network_id_nodes_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_network_id_nodes_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_store_id_nodes_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_client_id_api_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."api_clients"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_rerouted_from_id_orders_id_fk" FOREIGN KEY ("rerouted_from_id") REFERENCES "public"."orders"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parameter_values" ADD CONSTRAINT "parameter_values_node_id_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_contents" ADD CONSTRAINT "ticket_contents_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_return_items" ADD CONSTRAINT "order_return_items_return_id_order_returns_id_fk" FOREIGN KEY ("return_id") REFERENCES "public"."order_returns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_return_items" ADD CONSTRAINT "order_return_items_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_returns" ADD CONSTRAINT "order_returns_network_id_nodes_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_returns" ADD CONSTRAINT "order_returns_store_id_nodes_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_returns" ADD CONSTRAINT "order_returns_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_returns" ADD CONSTRAINT "order_returns_reason_id_return_reasons_id_fk" FOREIGN KEY ("reason_id") REFERENCES "public"."return_reasons"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_returns" ADD CONSTRAINT "order_returns_fiscal_document_id_fiscal_documents_id_fk" FOREIGN KEY ("fiscal_document_id") REFERENCES "public"."fiscal_documents"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_returns" ADD CONSTRAINT "order_returns_original_document_id_fiscal_documents_id_fk" FOREIGN KEY ("original_document_id") REFERENCES "public"."fiscal_documents"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_reasons" ADD CONSTRAINT "return_reasons_network_id_nodes_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_network_id_nodes_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_origin_store_id_nodes_id_fk" FOREIGN KEY ("origin_store_id") REFERENCES "public"."nodes"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pos_sync_contacts" ADD CONSTRAINT "pos_sync_contacts_store_id_nodes_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pos_sync_controls" ADD CONSTRAINT "pos_sync_controls_store_id_nodes_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pos_sync_exceptions" ADD CONSTRAINT "pos_sync_exceptions_store_id_nodes_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pos_sync_intervals" ADD CONSTRAINT "pos_sync_intervals_network_id_nodes_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pos_sync_intervals" ADD CONSTRAINT "pos_sync_intervals_store_id_nodes_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pos_sync_records" ADD CONSTRAINT "pos_sync_records_network_id_nodes_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pos_sync_records" ADD CONSTRAINT "pos_sync_records_scope_node_id_nodes_id_fk" FOREIGN KEY ("scope_node_id") REFERENCES "public"."nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pos_cash_movements" ADD CONSTRAINT "pos_cash_movements_session_id_pos_cash_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."pos_cash_sessions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pos_cash_sessions" ADD CONSTRAINT "pos_cash_sessions_network_id_nodes_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pos_cash_sessions" ADD CONSTRAINT "pos_cash_sessions_store_id_nodes_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pos_sale_items" ADD CONSTRAINT "pos_sale_items_sale_id_pos_sales_id_fk" FOREIGN KEY ("sale_id") REFERENCES "public"."pos_sales"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pos_sale_items" ADD CONSTRAINT "pos_sale_items_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pos_sale_payments" ADD CONSTRAINT "pos_sale_payments_sale_id_pos_sales_id_fk" FOREIGN KEY ("sale_id") REFERENCES "public"."pos_sales"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pos_sales" ADD CONSTRAINT "pos_sales_network_id_nodes_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pos_sales" ADD CONSTRAINT "pos_sales_store_id_nodes_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pos_sales" ADD CONSTRAINT "pos_sales_cash_session_id_pos_cash_sessions_id_fk" FOREIGN KEY ("cash_session_id") REFERENCES "public"."pos_cash_sessions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pos_upload_rejections" ADD CONSTRAINT "pos_upload_rejections_network_id_nodes_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pos_upload_rejections" ADD CONSTRAINT "pos_upload_rejections_store_id_nodes_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pos_uploads" ADD CONSTRAINT "pos_uploads_network_id_nodes_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pos_uploads" ADD CONSTRAINT "pos_uploads_store_id_nodes_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pos_z_reductions" ADD CONSTRAINT "pos_z_reductions_network_id_nodes_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pos_z_reductions" ADD CONSTRAINT "pos_z_reductions_store_id_nodes_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channel_sales" ADD CONSTRAINT "channel_sales_network_id_nodes_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channel_sales" ADD CONSTRAINT "channel_sales_store_id_nodes_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_request_lines" ADD CONSTRAINT "stock_request_lines_request_id_stock_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."stock_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_request_lines" ADD CONSTRAINT "stock_request_lines_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_requests" ADD CONSTRAINT "stock_requests_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_requests" ADD CONSTRAINT "stock_requests_main_store_id_nodes_id_fk" FOREIGN KEY ("main_store_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_requests" ADD CONSTRAINT "stock_requests_support_store_id_nodes_id_fk" FOREIGN KEY ("support_store_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_requests" ADD CONSTRAINT "stock_requests_transfer_document_id_fiscal_documents_id_fk" FOREIGN KEY ("transfer_document_id") REFERENCES "public"."fiscal_documents"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_balances" ADD CONSTRAINT "stock_balances_store_id_nodes_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_balances" ADD CONSTRAINT "stock_balances_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_feed" ADD CONSTRAINT "stock_feed_network_id_nodes_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_feed" ADD CONSTRAINT "stock_feed_store_id_nodes_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_feed" ADD CONSTRAINT "stock_feed_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_feed_leases" ADD CONSTRAINT "stock_feed_leases_network_id_nodes_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_store_id_nodes_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_reservation_id_stock_reservations_id_fk" FOREIGN KEY ("reservation_id") REFERENCES "public"."stock_reservations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_reservations" ADD CONSTRAINT "stock_reservations_store_id_nodes_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."nodes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_reservations" ADD CONSTRAINT "stock_reservations_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_client_keys_hash_uq" ON "api_client_keys" USING btree ("key_hash");--> statement-breakpoint
CREATE INDEX "api_client_keys_client_idx" ON "api_client_keys" USING btree ("client_id");--> statement-breakpoint
CREATE UNIQUE INDEX "api_client_pairing_codes_hash_uq" ON "api_client_pairing_codes" USING btree ("code_hash");--> statement-breakpoint
CREATE INDEX "api_client_pairing_codes_client_idx" ON "api_client_pairing_codes" USING btree ("client_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sessions_token_uq" ON "sessions" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_uq" ON "users" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "audit_events_network_at_idx" ON "audit_events" USING btree ("network_id","at","id");--> statement-breakpoint
CREATE INDEX "audit_events_path_idx" ON "audit_events" USING btree ("node_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "audit_events_target_idx" ON "audit_events" USING btree ("target_type","target_id");--> statement-breakpoint
CREATE UNIQUE INDEX "products_network_sku_uq" ON "products" USING btree ("network_id","sku");--> statement-breakpoint
CREATE UNIQUE INDEX "products_network_ean_uq" ON "products" USING btree ("network_id","ean");--> statement-breakpoint
CREATE INDEX "products_ecommerce_idx" ON "products" USING btree ("network_id","integrates_ecommerce","active_ecommerce");--> statement-breakpoint
CREATE INDEX "promotion_products_product_idx" ON "promotion_products" USING btree ("product_id");--> statement-breakpoint
CREATE UNIQUE INDEX "promotions_network_code_uq" ON "promotions" USING btree ("network_id","code");--> statement-breakpoint
CREATE INDEX "promotions_current_idx" ON "promotions" USING btree ("network_id","active","starts_at","ends_at");--> statement-breakpoint
CREATE UNIQUE INDEX "connector_connections_network_platform_uq" ON "connector_connections" USING btree ("network_id","platform");--> statement-breakpoint
CREATE UNIQUE INDEX "integration_interfaces_network_code_uq" ON "integration_interfaces" USING btree ("network_id","code");--> statement-breakpoint
CREATE INDEX "integration_interfaces_due_idx" ON "integration_interfaces" USING btree ("next_run_at");--> statement-breakpoint
CREATE INDEX "interface_runs_history_idx" ON "interface_runs" USING btree ("interface_id","started_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "interface_runs_one_running_uq" ON "interface_runs" USING btree ("interface_id") WHERE outcome = 'running';--> statement-breakpoint
CREATE UNIQUE INDEX "carrier_accounts_node_carrier_uq" ON "carrier_accounts" USING btree ("node_id","carrier_code");--> statement-breakpoint
CREATE INDEX "delivery_experience_stores_store_idx" ON "delivery_experience_stores" USING btree ("store_id");--> statement-breakpoint
CREATE UNIQUE INDEX "delivery_experiences_network_code_uq" ON "delivery_experiences" USING btree ("network_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "delivery_experiences_network_description_uq" ON "delivery_experiences" USING btree ("network_id",lower("description"));--> statement-breakpoint
CREATE UNIQUE INDEX "finance_entries_key_uq" ON "finance_entries" USING btree ("key");--> statement-breakpoint
CREATE INDEX "finance_entries_root_idx" ON "finance_entries" USING btree ("root_order_id","created_at");--> statement-breakpoint
CREATE INDEX "finance_entries_order_idx" ON "finance_entries" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "finance_entries_customer_idx" ON "finance_entries" USING btree ("network_id","customer_document");--> statement-breakpoint
CREATE INDEX "finance_movements_entry_idx" ON "finance_movements" USING btree ("entry_id");--> statement-breakpoint
CREATE INDEX "finance_movements_company_idx" ON "finance_movements" USING btree ("company_id","account","day");--> statement-breakpoint
CREATE INDEX "finance_movements_order_idx" ON "finance_movements" USING btree ("order_id","account");--> statement-breakpoint
CREATE INDEX "finance_movements_receivable_idx" ON "finance_movements" USING btree ("receivable_id");--> statement-breakpoint
CREATE UNIQUE INDEX "finance_payment_methods_code_uq" ON "finance_payment_methods" USING btree ("network_id","code");--> statement-breakpoint
CREATE INDEX "receivables_company_idx" ON "receivables" USING btree ("company_id","issued_on","id");--> statement-breakpoint
CREATE INDEX "receivables_root_idx" ON "receivables" USING btree ("root_order_id");--> statement-breakpoint
CREATE INDEX "refunds_root_idx" ON "refunds" USING btree ("root_order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "fiscal_contingency_modes_open_uq" ON "fiscal_contingency_modes" USING btree ("store_id","model") WHERE "fiscal_contingency_modes"."state" <> 'ended';--> statement-breakpoint
CREATE INDEX "fiscal_contingency_modes_store_idx" ON "fiscal_contingency_modes" USING btree ("store_id","raised_at");--> statement-breakpoint
CREATE UNIQUE INDEX "fiscal_documents_number_uq" ON "fiscal_documents" USING btree ("store_id","model","series","number");--> statement-breakpoint
CREATE UNIQUE INDEX "fiscal_documents_access_key_uq" ON "fiscal_documents" USING btree ("access_key");--> statement-breakpoint
CREATE INDEX "fiscal_documents_reference_idx" ON "fiscal_documents" USING btree ("reference_type","reference_id");--> statement-breakpoint
CREATE INDEX "fiscal_documents_listing_idx" ON "fiscal_documents" USING btree ("store_id","created_at","id");--> statement-breakpoint
CREATE INDEX "fiscal_documents_number_idx" ON "fiscal_documents" USING btree ("number");--> statement-breakpoint
CREATE INDEX "fiscal_documents_contingency_idx" ON "fiscal_documents" USING btree ("transmit_by") WHERE "fiscal_documents"."contingency_at" is not null and "fiscal_documents"."status" in ('contingency', 'rejected', 'denied');--> statement-breakpoint
CREATE INDEX "fiscal_events_document_idx" ON "fiscal_events" USING btree ("document_id");--> statement-breakpoint
CREATE UNIQUE INDEX "fiscal_events_sequence_uq" ON "fiscal_events" USING btree ("document_id","type","sequence") WHERE "fiscal_events"."status" <> 'rejected';--> statement-breakpoint
CREATE INDEX "fiscal_voided_ranges_series_idx" ON "fiscal_voided_ranges" USING btree ("store_id","model","series","from_number");--> statement-breakpoint
CREATE INDEX "fiscal_voided_ranges_created_idx" ON "fiscal_voided_ranges" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "sefaz_simulator_documents_number_uq" ON "sefaz_simulator_documents" USING btree ("emitter_cnpj","model","series","number",(substr("access_key", 35, 1) in ('6', '7')));--> statement-breakpoint
CREATE INDEX "sefaz_simulator_voided_ranges_series_idx" ON "sefaz_simulator_voided_ranges" USING btree ("emitter_cnpj","model","series");--> statement-breakpoint
CREATE UNIQUE INDEX "order_conferences_current_uq" ON "order_conferences" USING btree ("order_id") WHERE "order_conferences"."status" <> 'restarted';--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_attempts_delivery_uq" ON "webhook_attempts" USING btree ("delivery_id","attempt");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_deliveries_order_seq_uq" ON "webhook_deliveries" USING btree ("order_id","seq");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries" USING btree ("client_id","next_attempt_at") WHERE "webhook_deliveries"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "webhook_deliveries_client_idx" ON "webhook_deliveries" USING btree ("client_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "nodes_network_code_uq" ON "nodes" USING btree ("network_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "nodes_network_cnpj_uq" ON "nodes" USING btree ("network_id","cnpj") WHERE "nodes"."kind" = 'store';--> statement-breakpoint
CREATE INDEX "nodes_path_idx" ON "nodes" USING btree ("path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "nodes_parent_idx" ON "nodes" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "notifications_network_created_idx" ON "notifications" USING btree ("network_id","created_at");--> statement-breakpoint
CREATE INDEX "notifications_order_idx" ON "notifications" USING btree ("order_id","created_at");--> statement-breakpoint
CREATE INDEX "order_history_order_idx" ON "order_history" USING btree ("order_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "order_items_order_product_uq" ON "order_items" USING btree ("order_id","product_id");--> statement-breakpoint
CREATE INDEX "order_notes_order_idx" ON "order_notes" USING btree ("order_id","at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "order_shipments_tracking_uq" ON "order_shipments" USING btree ("network_id","carrier","tracking_code") WHERE "order_shipments"."tracking_code" is not null;--> statement-breakpoint
CREATE INDEX "order_status_count_changes_idx" ON "order_status_count_changes" USING btree ("store_id","day");--> statement-breakpoint
CREATE UNIQUE INDEX "order_tracking_events_uq" ON "order_tracking_events" USING btree ("carrier","tracking_code","event_id");--> statement-breakpoint
CREATE INDEX "order_tracking_events_order_idx" ON "order_tracking_events" USING btree ("order_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "orders_network_external_uq" ON "orders" USING btree ("network_id","external_id");--> statement-breakpoint
CREATE INDEX "orders_rerouted_from_idx" ON "orders" USING btree ("rerouted_from_id") WHERE "orders"."rerouted_from_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "orders_store_number_uq" ON "orders" USING btree ("store_id","number");--> statement-breakpoint
CREATE INDEX "orders_queue_idx" ON "orders" USING btree ("store_id","status","placed_at","id");--> statement-breakpoint
CREATE INDEX "orders_store_placed_idx" ON "orders" USING btree ("store_id","placed_at","id","status");--> statement-breakpoint
CREATE INDEX "orders_store_total_idx" ON "orders" USING btree ("store_id","total","id");--> statement-breakpoint
CREATE INDEX "orders_address_issue_idx" ON "orders" USING btree ("store_id","placed_at","id") WHERE "orders"."delivery_type" = 'ship' and ("orders"."customer_address" ->> 'cityCode') is null;--> statement-breakpoint
CREATE INDEX "jobs_claim_idx" ON "jobs" USING btree ("queue","status","run_at");--> statement-breakpoint
CREATE INDEX "tickets_network_started_idx" ON "tickets" USING btree ("network_id","started_at");--> statement-breakpoint
CREATE INDEX "tickets_system_started_idx" ON "tickets" USING btree ("network_id","system","started_at");--> statement-breakpoint
CREATE INDEX "tickets_status_started_idx" ON "tickets" USING btree ("network_id","status","started_at");--> statement-breakpoint
CREATE INDEX "tickets_module_started_idx" ON "tickets" USING btree ("network_id","module_code","started_at");--> statement-breakpoint
CREATE INDEX "tickets_order_idx" ON "tickets" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "tickets_reference_idx" ON "tickets" USING btree ("kind","reference");--> statement-breakpoint
CREATE INDEX "order_returns_order_idx" ON "order_returns" USING btree ("order_id","created_at");--> statement-breakpoint
CREATE INDEX "order_returns_store_idx" ON "order_returns" USING btree ("store_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "return_reasons_network_code_uq" ON "return_reasons" USING btree ("network_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "customers_document_uq" ON "customers" USING btree ("network_id","document");--> statement-breakpoint
CREATE UNIQUE INDEX "pos_sync_exceptions_store_uq" ON "pos_sync_exceptions" USING btree ("store_id");--> statement-breakpoint
CREATE UNIQUE INDEX "pos_sync_intervals_uq" ON "pos_sync_intervals" USING btree ("network_id","data_type",coalesce("store_id", "network_id"));--> statement-breakpoint
CREATE UNIQUE INDEX "pos_sync_records_key_uq" ON "pos_sync_records" USING btree ("data_type","scope_node_id","record_key");--> statement-breakpoint
CREATE INDEX "pos_sync_records_feed_idx" ON "pos_sync_records" USING btree ("network_id","data_type","xid","seq");--> statement-breakpoint
CREATE INDEX "pos_sync_records_scope_idx" ON "pos_sync_records" USING btree ("data_type","scope_node_id","xid","seq");--> statement-breakpoint
CREATE INDEX "pos_cash_movements_session_idx" ON "pos_cash_movements" USING btree ("session_id");--> statement-breakpoint
CREATE UNIQUE INDEX "pos_cash_sessions_pos_id_uq" ON "pos_cash_sessions" USING btree ("store_id","terminal","pos_id");--> statement-breakpoint
CREATE UNIQUE INDEX "pos_sale_items_pk" ON "pos_sale_items" USING btree ("sale_id","line");--> statement-breakpoint
CREATE UNIQUE INDEX "pos_sale_payments_pk" ON "pos_sale_payments" USING btree ("sale_id","line");--> statement-breakpoint
CREATE INDEX "pos_sales_store_idx" ON "pos_sales" USING btree ("store_id","occurred_at");--> statement-breakpoint
CREATE INDEX "pos_sales_session_idx" ON "pos_sales" USING btree ("cash_session_id");--> statement-breakpoint
CREATE UNIQUE INDEX "pos_sales_access_key_uq" ON "pos_sales" USING btree ("nfce_access_key");--> statement-breakpoint
CREATE INDEX "pos_upload_rejections_store_idx" ON "pos_upload_rejections" USING btree ("store_id","received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "pos_uploads_sequence_uq" ON "pos_uploads" USING btree ("store_id","terminal","sequence");--> statement-breakpoint
CREATE UNIQUE INDEX "pos_uploads_pos_id_uq" ON "pos_uploads" USING btree ("store_id","kind","pos_id");--> statement-breakpoint
CREATE INDEX "pos_uploads_store_idx" ON "pos_uploads" USING btree ("store_id","received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "pos_z_reductions_day_uq" ON "pos_z_reductions" USING btree ("store_id","terminal","day");--> statement-breakpoint
CREATE UNIQUE INDEX "channel_sales_source_uq" ON "channel_sales" USING btree ("source_type","source_id");--> statement-breakpoint
CREATE INDEX "channel_sales_store_day_idx" ON "channel_sales" USING btree ("store_id","day","channel");--> statement-breakpoint
CREATE INDEX "stock_requests_support_idx" ON "stock_requests" USING btree ("support_store_id","status","created_at");--> statement-breakpoint
CREATE INDEX "stock_requests_main_idx" ON "stock_requests" USING btree ("main_store_id","status","created_at");--> statement-breakpoint
CREATE INDEX "stock_requests_order_idx" ON "stock_requests" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "stock_balances_product_idx" ON "stock_balances" USING btree ("product_id");--> statement-breakpoint
CREATE INDEX "stock_feed_unpublished_idx" ON "stock_feed" USING btree ("network_id","seq") WHERE "stock_feed"."published_at" is null;--> statement-breakpoint
CREATE INDEX "stock_feed_unpushed_idx" ON "stock_feed" USING btree ("network_id","seq") WHERE "stock_feed"."platform_pushed_at" is null;--> statement-breakpoint
CREATE INDEX "stock_feed_published_idx" ON "stock_feed" USING btree ("published_at");--> statement-breakpoint
CREATE INDEX "stock_movements_history_idx" ON "stock_movements" USING btree ("store_id","product_id","id");--> statement-breakpoint
CREATE INDEX "stock_movements_store_idx" ON "stock_movements" USING btree ("store_id","id");--> statement-breakpoint
CREATE INDEX "stock_movements_reference_idx" ON "stock_movements" USING btree ("reference_type","reference_id");--> statement-breakpoint
CREATE INDEX "stock_movements_reservation_idx" ON "stock_movements" USING btree ("reservation_id");--> statement-breakpoint
CREATE INDEX "stock_reservations_active_idx" ON "stock_reservations" USING btree ("store_id","product_id") WHERE "stock_reservations"."status" = 'active';--> statement-breakpoint
CREATE INDEX "stock_reservations_reference_idx" ON "stock_reservations" USING btree ("reference_type","reference_id");
--> statement-breakpoint
-- from src/audit/schema.sql
-- audit_events is append-only: history is never rewritten, not by the application and not by hand.
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

--> statement-breakpoint
-- from src/finance/schema.sql
-- The finance ledger is append-only: a correction is a new entry, never an edit.
CREATE FUNCTION finance_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER finance_entries_append_only BEFORE UPDATE OR DELETE ON finance_entries
  FOR EACH ROW EXECUTE FUNCTION finance_append_only();
--> statement-breakpoint
CREATE TRIGGER finance_movements_append_only BEFORE UPDATE OR DELETE ON finance_movements
  FOR EACH ROW EXECUTE FUNCTION finance_append_only();
--> statement-breakpoint
CREATE TRIGGER receivables_append_only BEFORE UPDATE OR DELETE ON receivables
  FOR EACH ROW EXECUTE FUNCTION finance_append_only();
--> statement-breakpoint
CREATE TRIGGER refunds_append_only BEFORE UPDATE OR DELETE ON refunds
  FOR EACH ROW EXECUTE FUNCTION finance_append_only();
--> statement-breakpoint
-- At commit, every entry that received movements balances in each company: no path creates money.
CREATE FUNCTION finance_entry_balances() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  off record;
BEGIN
  SELECT company_id, sum(amount) AS total INTO off FROM finance_movements
    WHERE entry_id = NEW.entry_id GROUP BY company_id HAVING sum(amount) <> 0 LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'finance entry % does not balance in company % (%)', NEW.entry_id, off.company_id, off.total
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER finance_movements_balance AFTER INSERT ON finance_movements
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION finance_entry_balances();

--> statement-breakpoint
-- from src/orders/schema.sql
-- The store queue's status counters (schema.ts, order_status_counts): every change of the orders per store,
-- São Paulo day and status reaches order_status_count_changes in the same transaction, appended (+n/−n), so
-- the counters can never miss one and no two writers wait for each other on a counter row.
-- An insert of many orders (a bulk load) appends one row per store, day and status, not one per order.
CREATE FUNCTION order_status_counted_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO order_status_count_changes (store_id, day, status, orders)
    SELECT store_id, (placed_at AT TIME ZONE 'America/Sao_Paulo')::date, status, count(*)::int
    FROM new_orders GROUP BY 1, 2, 3;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER order_status_counted_ins AFTER INSERT ON orders
  REFERENCING NEW TABLE AS new_orders FOR EACH STATEMENT EXECUTE FUNCTION order_status_counted_ins();
--> statement-breakpoint
CREATE FUNCTION order_status_counted_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO order_status_count_changes (store_id, day, status, orders)
    SELECT store_id, (placed_at AT TIME ZONE 'America/Sao_Paulo')::date, status, -count(*)::int
    FROM old_orders GROUP BY 1, 2, 3;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER order_status_counted_del AFTER DELETE ON orders
  REFERENCING OLD TABLE AS old_orders FOR EACH STATEMENT EXECUTE FUNCTION order_status_counted_del();
--> statement-breakpoint
-- A status change (the hot path: one order at a time, through changeStatus) moves one order between two rows.
CREATE FUNCTION order_status_counted_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO order_status_count_changes (store_id, day, status, orders) VALUES
    (OLD.store_id, (OLD.placed_at AT TIME ZONE 'America/Sao_Paulo')::date, OLD.status, -1),
    (NEW.store_id, (NEW.placed_at AT TIME ZONE 'America/Sao_Paulo')::date, NEW.status, 1);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER order_status_counted_upd AFTER UPDATE OF status, store_id, placed_at ON orders FOR EACH ROW
  WHEN ((OLD.status, OLD.store_id, OLD.placed_at) IS DISTINCT FROM (NEW.status, NEW.store_id, NEW.placed_at))
  EXECUTE FUNCTION order_status_counted_upd();

--> statement-breakpoint
-- from src/platform/cache/schema.sql
-- The caches' invalidation (src/platform/cache/index.ts): every statement that changes a cached table
-- notifies omnihub_cache with the table's name, delivered to every listening process at its commit.
-- Statement-level, so a catalogue import of 100,000 products is one notification, not 100,000. Any
-- statement, even one that changes no column a cache holds: the process that sends it waits for its echo.
CREATE OR REPLACE FUNCTION omnihub_cache_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('omnihub_cache', TG_TABLE_NAME);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER api_clients_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON api_clients
  FOR EACH STATEMENT EXECUTE FUNCTION omnihub_cache_notify();
--> statement-breakpoint
CREATE TRIGGER api_client_keys_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON api_client_keys
  FOR EACH STATEMENT EXECUTE FUNCTION omnihub_cache_notify();
--> statement-breakpoint
CREATE TRIGGER delivery_experiences_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON delivery_experiences
  FOR EACH STATEMENT EXECUTE FUNCTION omnihub_cache_notify();
--> statement-breakpoint
CREATE TRIGGER delivery_experience_stores_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON delivery_experience_stores
  FOR EACH STATEMENT EXECUTE FUNCTION omnihub_cache_notify();
--> statement-breakpoint
CREATE TRIGGER nodes_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON nodes
  FOR EACH STATEMENT EXECUTE FUNCTION omnihub_cache_notify();
--> statement-breakpoint
CREATE TRIGGER parameter_values_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON parameter_values
  FOR EACH STATEMENT EXECUTE FUNCTION omnihub_cache_notify();
--> statement-breakpoint
CREATE TRIGGER products_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON products
  FOR EACH STATEMENT EXECUTE FUNCTION omnihub_cache_notify();

--> statement-breakpoint
-- from src/pos/sync/schema.sql
-- The POS sync feed (seed 000 §2 Taskmanager). Every change of a hub-owned source reaches pos_sync_records in
-- the same transaction as the change, so the feed can never miss one. A record's position is (xid, seq): the
-- writing transaction and a fresh sequence value; the poll serves only positions of finished transactions.
CREATE FUNCTION pos_sync_put(network uuid, data_type text, scope uuid, key text, payload jsonb)
RETURNS void LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  position_xid bigint := pg_current_xact_id()::text::bigint;
BEGIN
  IF pos_sync_put.payload IS NULL THEN
    -- A tombstone matters only to a POS that may hold the record: nothing to do when the feed never had it.
    UPDATE pos_sync_records r
      SET payload = NULL, deleted = true, xid = position_xid, seq = DEFAULT, changed_at = now()
      WHERE r.data_type = pos_sync_put.data_type AND r.scope_node_id = pos_sync_put.scope
        AND r.record_key = pos_sync_put.key AND NOT r.deleted;
    RETURN;
  END IF;
  INSERT INTO pos_sync_records AS r (network_id, data_type, scope_node_id, record_key, payload, deleted, xid)
    VALUES (pos_sync_put.network, pos_sync_put.data_type, pos_sync_put.scope, pos_sync_put.key,
            pos_sync_put.payload, false, position_xid)
    ON CONFLICT (data_type, scope_node_id, record_key) DO UPDATE
      SET payload = EXCLUDED.payload, deleted = false, xid = EXCLUDED.xid, seq = DEFAULT, changed_at = now()
      -- Rewriting the same content would make every POS download it again for nothing.
      WHERE r.deleted OR r.payload IS DISTINCT FROM EXCLUDED.payload;
END;
$$;
--> statement-breakpoint
-- products → `products` and `product-eans` (network scope) and the network's default price in `prices`.
CREATE FUNCTION pos_sync_products() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  p record := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  live boolean := TG_OP <> 'DELETE' AND NEW.active;
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.ean <> NEW.ean THEN
    PERFORM pos_sync_put(OLD.network_id, 'product-eans', OLD.network_id, OLD.ean, NULL);
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.sku <> NEW.sku THEN
    PERFORM pos_sync_put(OLD.network_id, 'products', OLD.network_id, OLD.sku, NULL);
    PERFORM pos_sync_put(OLD.network_id, 'prices', OLD.network_id, OLD.sku, NULL);
  END IF;
  PERFORM pos_sync_put(p.network_id, 'products', p.network_id, p.sku, CASE WHEN live THEN
    jsonb_build_object('sku', p.sku, 'ean', p.ean, 'description', p.description, 'ncm', p.ncm, 'unit', p.unit)
  END);
  PERFORM pos_sync_put(p.network_id, 'product-eans', p.network_id, p.ean, CASE WHEN live THEN
    jsonb_build_object('ean', p.ean, 'sku', p.sku)
  END);
  PERFORM pos_sync_put(p.network_id, 'prices', p.network_id, p.sku, CASE WHEN live THEN
    jsonb_build_object('sku', p.sku, 'price', p.price::text)
  END);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER pos_sync_products_ins AFTER INSERT OR DELETE ON products
  FOR EACH ROW EXECUTE FUNCTION pos_sync_products();
--> statement-breakpoint
CREATE TRIGGER pos_sync_products_upd AFTER UPDATE ON products FOR EACH ROW
  WHEN ((OLD.sku, OLD.ean, OLD.description, OLD.ncm, OLD.unit, OLD.price, OLD.active)
    IS DISTINCT FROM (NEW.sku, NEW.ean, NEW.description, NEW.ncm, NEW.unit, NEW.price, NEW.active))
  EXECUTE FUNCTION pos_sync_products();
--> statement-breakpoint
-- product_prices → `prices`, scoped to the price's node (a central's or a store's own price).
CREATE FUNCTION pos_sync_prices() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  pp record := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  prod record;
BEGIN
  SELECT network_id, sku INTO prod FROM products WHERE id = pp.product_id;
  IF NOT FOUND THEN
    RETURN NULL; -- the product itself was deleted: its own trigger tombstones the network price
  END IF;
  PERFORM pos_sync_put(prod.network_id, 'prices', pp.node_id, prod.sku, CASE WHEN TG_OP <> 'DELETE' THEN
    jsonb_build_object('sku', prod.sku, 'price', pp.price::text)
  END);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER pos_sync_prices_trg AFTER INSERT OR UPDATE OF price OR DELETE ON product_prices
  FOR EACH ROW EXECUTE FUNCTION pos_sync_prices();
--> statement-breakpoint
-- stock_balances → `stock`, scoped to the store. On the hot path: only a change of what the POS shows fires.
CREATE FUNCTION pos_sync_stock() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  prod record;
BEGIN
  SELECT network_id, sku INTO prod FROM products WHERE id = NEW.product_id;
  PERFORM pos_sync_put(prod.network_id, 'stock', NEW.store_id, prod.sku, jsonb_build_object(
    'sku', prod.sku, 'onHand', NEW.on_hand, 'reserved', NEW.reserved, 'available', NEW.on_hand - NEW.reserved));
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER pos_sync_stock_ins AFTER INSERT ON stock_balances
  FOR EACH ROW EXECUTE FUNCTION pos_sync_stock();
--> statement-breakpoint
CREATE TRIGGER pos_sync_stock_upd AFTER UPDATE ON stock_balances FOR EACH ROW
  WHEN (OLD.on_hand <> NEW.on_hand OR OLD.reserved <> NEW.reserved)
  EXECUTE FUNCTION pos_sync_stock();
--> statement-breakpoint
-- promotions (+ their products) → `campaigns` (CampanhaLive). Only what the counter offers: a promotion of the
-- e-commerce alone, an inactive or a deleted one is a tombstone.
CREATE FUNCTION pos_sync_campaign(promotion uuid) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  p record;
BEGIN
  SELECT * INTO p FROM promotions WHERE id = promotion;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  PERFORM pos_sync_put(p.network_id, 'campaigns', p.network_id, p.code, CASE
    WHEN p.active AND p.modality <> 'ecommerce' THEN jsonb_build_object(
      'code', p.code, 'description', p.description, 'modality', p.modality,
      'discountPercent', p.discount_percent::text, 'discountAmount', p.discount_amount::text,
      'startsAt', to_char(p.starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'endsAt', to_char(p.ends_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'skus', coalesce((SELECT jsonb_agg(pr.sku ORDER BY pr.sku) FROM promotion_products pp
                          JOIN products pr ON pr.id = pp.product_id WHERE pp.promotion_id = p.id), '[]'::jsonb))
  END);
END;
$$;
--> statement-breakpoint
CREATE FUNCTION pos_sync_promotions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pos_sync_put(OLD.network_id, 'campaigns', OLD.network_id, OLD.code, NULL);
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.code <> NEW.code THEN
    PERFORM pos_sync_put(OLD.network_id, 'campaigns', OLD.network_id, OLD.code, NULL);
  END IF;
  PERFORM pos_sync_campaign(NEW.id);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER pos_sync_promotions_trg AFTER INSERT OR UPDATE OR DELETE ON promotions
  FOR EACH ROW EXECUTE FUNCTION pos_sync_promotions();
--> statement-breakpoint
CREATE FUNCTION pos_sync_promotion_products() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pos_sync_campaign(CASE WHEN TG_OP = 'DELETE' THEN OLD.promotion_id ELSE NEW.promotion_id END);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER pos_sync_promotion_products_trg AFTER INSERT OR DELETE ON promotion_products
  FOR EACH ROW EXECUTE FUNCTION pos_sync_promotion_products();
--> statement-breakpoint
-- return_reasons → `return-reasons` (MotivoTD), network scope; an inactive reason is a tombstone.
CREATE FUNCTION pos_sync_return_reasons() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.code <> NEW.code THEN
    PERFORM pos_sync_put(OLD.network_id, 'return-reasons', OLD.network_id, OLD.code, NULL);
  END IF;
  PERFORM pos_sync_put(r.network_id, 'return-reasons', r.network_id, r.code,
    CASE WHEN TG_OP <> 'DELETE' AND r.active THEN jsonb_build_object(
      'code', r.code, 'type', r.type, 'description', r.description,
      'validFrom', r.valid_from::text, 'validTo', r.valid_to::text)
    END);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER pos_sync_return_reasons_trg AFTER INSERT OR UPDATE OR DELETE ON return_reasons
  FOR EACH ROW EXECUTE FUNCTION pos_sync_return_reasons();
--> statement-breakpoint
-- users → `employees` (Funcionario), scoped to the user's node. Explicit columns: never the password hash.
CREATE FUNCTION pos_sync_users() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  u record := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  network uuid;
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.node_id <> NEW.node_id THEN
    SELECT network_id INTO network FROM nodes WHERE id = OLD.node_id;
    PERFORM pos_sync_put(network, 'employees', OLD.node_id, OLD.id::text, NULL);
  END IF;
  SELECT network_id INTO network FROM nodes WHERE id = u.node_id;
  PERFORM pos_sync_put(network, 'employees', u.node_id, u.id::text,
    CASE WHEN TG_OP <> 'DELETE' AND u.active THEN jsonb_build_object(
      'id', u.id, 'name', u.name, 'email', u.email, 'role', u.role)
    END);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER pos_sync_users_ins AFTER INSERT OR DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION pos_sync_users();
--> statement-breakpoint
CREATE TRIGGER pos_sync_users_upd AFTER UPDATE ON users FOR EACH ROW
  WHEN ((OLD.name, OLD.email, OLD.role, OLD.node_id, OLD.active)
    IS DISTINCT FROM (NEW.name, NEW.email, NEW.role, NEW.node_id, NEW.active))
  EXECUTE FUNCTION pos_sync_users();
--> statement-breakpoint
-- parameter_values → `parameters`, scoped to the node that sets the value (a store inherits its ancestors').
CREATE FUNCTION pos_sync_parameters() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v record := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  network uuid;
BEGIN
  SELECT network_id INTO network FROM nodes WHERE id = v.node_id;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  PERFORM pos_sync_put(network, 'parameters', v.node_id, v.code,
    CASE WHEN TG_OP <> 'DELETE' THEN jsonb_build_object('code', v.code, 'value', v.value) END);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER pos_sync_parameters_trg AFTER INSERT OR UPDATE OF value OR DELETE ON parameter_values
  FOR EACH ROW EXECUTE FUNCTION pos_sync_parameters();
--> statement-breakpoint
-- nodes (stores) → `store-setup`: the store's own company data, scoped to the store.
CREATE FUNCTION pos_sync_store_setup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pos_sync_put(NEW.network_id, 'store-setup', NEW.id, NEW.code, CASE WHEN NEW.active THEN
    jsonb_build_object('code', NEW.code, 'name', NEW.name, 'legalName', NEW.legal_name, 'cnpj', NEW.cnpj,
      'stateRegistration', NEW.state_registration, 'street', NEW.street, 'number', NEW.number,
      'complement', NEW.complement, 'district', NEW.district, 'city', NEW.city, 'cityCode', NEW.city_code,
      'state', NEW.state, 'postalCode', NEW.postal_code, 'email', NEW.email)
  END);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER pos_sync_store_setup_trg AFTER INSERT OR UPDATE ON nodes FOR EACH ROW
  WHEN (NEW.kind = 'store') EXECUTE FUNCTION pos_sync_store_setup();
--> statement-breakpoint
-- finance_payment_methods → `payment-methods` (TipoAltPG), network scope; inactive is a tombstone.
CREATE FUNCTION pos_sync_payment_methods() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  m record := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.code <> NEW.code THEN
    PERFORM pos_sync_put(OLD.network_id, 'payment-methods', OLD.network_id, OLD.code, NULL);
  END IF;
  PERFORM pos_sync_put(m.network_id, 'payment-methods', m.network_id, m.code,
    CASE WHEN TG_OP <> 'DELETE' AND m.active THEN
      jsonb_build_object('code', m.code, 'name', m.name, 'mapping', m.mapping)
    END);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER pos_sync_payment_methods_trg AFTER INSERT OR UPDATE OR DELETE ON finance_payment_methods
  FOR EACH ROW EXECUTE FUNCTION pos_sync_payment_methods();
--> statement-breakpoint
-- customers → `customers` (Cliente), network scope.
CREATE FUNCTION pos_sync_customers() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  c record := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
BEGIN
  PERFORM pos_sync_put(c.network_id, 'customers', c.network_id, c.document,
    CASE WHEN TG_OP <> 'DELETE' THEN jsonb_build_object('document', c.document, 'name', c.name,
      'email', c.email, 'phone', c.phone, 'birthDate', c.birth_date::text)
    END);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER pos_sync_customers_trg AFTER INSERT OR UPDATE OR DELETE ON customers
  FOR EACH ROW EXECUTE FUNCTION pos_sync_customers();
--> statement-breakpoint
-- orders → `pre-sales` (PreVenda): a pickup order ready at its store; any other status is a tombstone. On the
-- hot path: fires only when the status changes, and an order never offered costs one indexed UPDATE of nothing.
CREATE FUNCTION pos_sync_pre_sales() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pos_sync_put(NEW.network_id, 'pre-sales', NEW.store_id, NEW.number::text,
    CASE WHEN NEW.status = 'ready_for_pickup' AND NEW.delivery_type = 'pickup' THEN jsonb_build_object(
      'number', NEW.number, 'customerName', NEW.customer_name, 'customerDocument', NEW.customer_document,
      'total', NEW.total::text,
      'items', coalesce((SELECT jsonb_agg(jsonb_build_object('sku', i.sku, 'description', i.description,
                'quantity', i.quantity, 'unitPrice', i.unit_price::text) ORDER BY i.line)
                FROM order_items i WHERE i.order_id = NEW.id), '[]'::jsonb))
    END);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER pos_sync_pre_sales_trg AFTER UPDATE OF status ON orders FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status AND NEW.number IS NOT NULL)
  EXECUTE FUNCTION pos_sync_pre_sales();
