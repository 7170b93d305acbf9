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
