import { sql } from 'drizzle-orm';
import {
  boolean,
  char,
  check,
  index,
  integer,
  jsonb,
  numeric,
  pgSequence,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { nodes } from '../network/schema.ts';
import { oneOf } from '../platform/db/columns.ts';
import { fiscalDocumentStatuses, fiscalPurposes, voidedRangeStatuses, voidOrigins } from './domain.ts';
import { fiscalOperations } from './operations.ts';

/**
 * The last number issued per store, model and series. Taken by one upsert whose row lock lasts until the
 * issuing transaction ends, so numbers follow commit order and a rolled-back issue gives its number back:
 * no gaps (which would need an inutilização at SEFAZ) and no duplicates (rejection 539).
 */
export const fiscalSeriesCounters = pgTable(
  'fiscal_series_counters',
  {
    storeId: uuid('store_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    model: smallint('model').notNull(),
    series: integer('series').notNull(),
    lastNumber: integer('last_number').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.storeId, t.model, t.series] }),
    check('fiscal_series_counters_model_chk', sql`${t.model} in (55, 65)`),
    check('fiscal_series_counters_series_chk', sql`${t.series} between 0 and 999`),
    check('fiscal_series_counters_last_chk', sql`${t.lastNumber} between 0 and 999999999`),
  ],
);

/**
 * NF-e (55) and NFC-e (65) issued by a store: the XML as signed and sent, SEFAZ's protocol or rejection,
 * and what the document is for (`reference_type`/`reference_id`: the order or transfer it invoices).
 */
export const fiscalDocuments = pgTable(
  'fiscal_documents',
  {
    id: uuid('id').primaryKey(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    storeId: uuid('store_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    model: smallint('model').notNull(),
    series: integer('series').notNull(),
    number: integer('number').notNull(),
    accessKey: char('access_key', { length: 44 }).notNull(),
    /** cNF, the key's eight-digit random code (access-key.ts: generateNumericCode). */
    numericCode: char('cnf', { length: 8 }).notNull(),
    status: text('status', { enum: fiscalDocumentStatuses }).notNull(),
    purpose: text('purpose', { enum: fiscalPurposes }).notNull(),
    referenceType: text('reference_type').notNull(),
    referenceId: text('reference_id').notNull(),
    xml: text('xml').notNull(),
    /**
     * The domain document the XML was built from (domain.ts `FiscalDocument`, money as strings of cents):
     * the DANFE is drawn from it, and a rejected document is rebuilt from it under the same number.
     */
    content: jsonb('content').notNull().$type<unknown>(),
    /** nProt of the authorisation (or of the cancellation event once cancelled). */
    protocol: text('protocol'),
    /** cStat and xMotivo of SEFAZ's rejection. */
    rejectionCode: integer('rejection_code'),
    rejectionReason: text('rejection_reason'),
    authorisedAt: timestamp('authorised_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    /** An NFC-e issued in offline contingency (tpEmis 9): dhCont, and the key it had before (tpEmis 1). */
    contingencyAt: timestamp('contingency_at', { withTimezone: true }),
    onlineAccessKey: char('online_access_key', { length: 44 }),
    /** When SEFAZ must have received the contingency document: emission + 24 h (NT 2015.002). */
    transmitBy: timestamp('transmit_by', { withTimezone: true }),
    /** The last transport fault met while sending it (the authoriser unreachable), for the alarm. */
    lastTransportError: text('last_transport_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('fiscal_documents_number_uq').on(t.storeId, t.model, t.series, t.number),
    uniqueIndex('fiscal_documents_access_key_uq').on(t.accessKey),
    index('fiscal_documents_reference_idx').on(t.referenceType, t.referenceId),
    // The documents screen (listing.ts): a store's documents newest first, a page at a time, and the
    // search by number across the stores a reader sees. A key prefix uses the unique index as a range.
    index('fiscal_documents_listing_idx').on(t.storeId, t.createdAt, t.id),
    index('fiscal_documents_number_idx').on(t.number),
    check('fiscal_documents_model_chk', sql`${t.model} in (55, 65)`),
    check('fiscal_documents_series_chk', sql`${t.series} between 0 and 999`),
    check('fiscal_documents_number_chk', sql`${t.number} between 1 and 999999999`),
    check('fiscal_documents_status_chk', oneOf('status', fiscalDocumentStatuses)),
    check('fiscal_documents_purpose_chk', oneOf('purpose', fiscalPurposes)),
    check(
      'fiscal_documents_contingency_chk',
      sql`(${t.contingencyAt} is null) = (${t.transmitBy} is null) and (${t.status} <> 'contingency' or ${t.contingencyAt} is not null)`,
    ),
    // The contingency alarm reads the documents issued in contingency and not yet authorised.
    index('fiscal_documents_contingency_idx')
      .on(t.transmitBy)
      .where(sql`${t.contingencyAt} is not null and ${t.status} in ('contingency', 'rejected', 'denied')`),
  ],
);

/**
 * Events a store registered on its documents at SEFAZ (the cancellation, tpEvento 110111, and the
 * correction letter, 110110): the signed `envEvento` as sent, then SEFAZ's answer and, once registered,
 * the `procEventoNFe`. Sent by the outbox worker like the documents themselves.
 */
export const fiscalEvents = pgTable(
  'fiscal_events',
  {
    id: uuid('id').primaryKey(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => fiscalDocuments.id, { onDelete: 'restrict' }),
    type: char('type', { length: 6 }).notNull(),
    /** nSeqEvento: 1 for a cancellation, 1–20 for the correction letters of one NF-e. */
    sequence: smallint('sequence').notNull(),
    /** xJust of a cancellation, xCorrecao of a correction letter. */
    justification: text('justification').notNull(),
    status: text('status', { enum: ['sending', 'registered', 'rejected'] }).notNull(),
    xml: text('xml').notNull(),
    /** `<procEventoNFe>`: the event plus SEFAZ's `<retEvento>`, kept and downloadable once registered. */
    procXml: text('proc_xml'),
    protocol: text('protocol'),
    rejectionCode: integer('rejection_code'),
    rejectionReason: text('rejection_reason'),
    requestedBy: text('requested_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    registeredAt: timestamp('registered_at', { withTimezone: true }),
  },
  (t) => [
    index('fiscal_events_document_idx').on(t.documentId),
    // One event per document, type and sequence among those not refused: two correction letters asked at
    // once cannot both take the next sequence (SEFAZ would answer the second 573).
    uniqueIndex('fiscal_events_sequence_uq')
      .on(t.documentId, t.type, t.sequence)
      .where(sql`${t.status} <> 'rejected'`),
    check('fiscal_events_status_chk', oneOf('status', ['sending', 'registered', 'rejected'])),
    check('fiscal_events_sequence_chk', sql`${t.sequence} between 1 and 20`),
  ],
);

/**
 * A store's fiscal identity beyond its registration data: the tax regime, the SEFAZ environment, its A1
 * certificate and its NFC-e CSC. The certificate, its password and the CSC are sealed (AES-256-GCM)
 * under the installation's secret key; they never leave the server.
 */
export const fiscalSettings = pgTable(
  'fiscal_settings',
  {
    storeId: uuid('store_id')
      .primaryKey()
      .references(() => nodes.id, { onDelete: 'cascade' }),
    /** tpAmb: 1 production, 2 homologação. */
    environment: char('environment', { length: 1 }).notNull().default('2'),
    /** CRT: 1 Simples Nacional, 2 over the sublimit, 3 regime normal, 4 MEI. */
    taxRegime: smallint('tax_regime').notNull(),
    /** Regime normal: ICMS rate inside the state and across states (percent). */
    icmsRateIntrastate: numeric('icms_rate_intrastate', { precision: 5, scale: 2 }),
    icmsRateInterstate: numeric('icms_rate_interstate', { precision: 5, scale: 2 }),
    certificate: text('certificate'),
    certificatePassword: text('certificate_password'),
    certificateSubject: text('certificate_subject'),
    certificateNotAfter: timestamp('certificate_not_after', { withTimezone: true }),
    cscId: text('csc_id'),
    csc: text('csc'),
    /** Who authorises the store's documents: the built-in simulator (no fiscal value) or its state's SEFAZ. */
    authorizer: text('authorizer').notNull().default('simulator'),
    updatedBy: text('updated_by').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('fiscal_settings_environment_chk', sql`${t.environment} in ('1', '2')`),
    check('fiscal_settings_regime_chk', sql`${t.taxRegime} between 1 and 4`),
    check(
      'fiscal_settings_certificate_chk',
      sql`(${t.certificate} is null) = (${t.certificatePassword} is null)`,
    ),
    check('fiscal_settings_csc_chk', sql`(${t.cscId} is null) = (${t.csc} is null)`),
    check('fiscal_settings_authorizer_chk', oneOf('authorizer', ['simulator', 'sefaz'])),
  ],
);

/**
 * CFOP and natOp per operation set at a node (network, central or store); a node without a row inherits
 * from its ancestors, and the built-in defaults (operations.ts) apply when no node sets one.
 */
export const fiscalOperationSettings = pgTable(
  'fiscal_operations',
  {
    nodeId: uuid('node_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'cascade' }),
    operation: text('operation', { enum: fiscalOperations }).notNull(),
    cfopIntrastate: char('cfop_intrastate', { length: 4 }).notNull(),
    cfopInterstate: char('cfop_interstate', { length: 4 }).notNull(),
    cfopInterstateNonContributor: char('cfop_interstate_non_contributor', { length: 4 }),
    natOp: text('nat_op').notNull(),
    updatedBy: text('updated_by').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.nodeId, t.operation] }),
    check('fiscal_operations_operation_chk', oneOf('operation', fiscalOperations)),
  ],
);

/** nProt sequences of the SEFAZ simulator: a sequence, so no two processes ever hand out the same one. */
export const sefazSimulatorProtocolSeq = pgSequence('sefaz_simulator_protocol_seq');

/**
 * What the SEFAZ simulator authorised and cancelled (simulator-store.ts), so that after a restart it still
 * answers 204, 539, 573 and the consultation as SEFAZ would. The simulator's own base: Omnihub's documents
 * are in `fiscal_documents`.
 */
export const sefazSimulatorDocuments = pgTable(
  'sefaz_simulator_documents',
  {
    accessKey: char('access_key', { length: 44 }).primaryKey(),
    protocol: text('protocol').notNull(),
    emitterCnpj: text('emitter_cnpj').notNull(),
    model: char('model', { length: 2 }).notNull(),
    series: integer('series').notNull(),
    number: integer('number').notNull(),
    authorizedAt: timestamp('authorized_at', { withTimezone: true }).notNull(),
    nfeProcXml: text('nfe_proc_xml').notNull(),
    cancellationProtocol: text('cancellation_protocol'),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    /** The correction letters registered (110110): sequence, protocol, when, procEventoNFe. */
    corrections: jsonb('corrections')
      .notNull()
      .default([])
      .$type<{ sequence: number; protocol: string; at: string; procEventoXml: string }[]>(),
  },
  (t) => [
    // SEFAZ's duplicate check of rejection 539: one NF-e per emitter, model, series and number.
    // SVC (tpEmis 6/7 at position 35 of the key) keeps its own base (NT 2013.007).
    uniqueIndex('sefaz_simulator_documents_number_uq').on(
      t.emitterCnpj,
      t.model,
      t.series,
      t.number,
      sql`(substr(${t.accessKey}, 35, 1) in ('6', '7'))`,
    ),
    check(
      'sefaz_simulator_documents_cancellation_chk',
      sql`(${t.cancellationProtocol} is null) = (${t.cancelledAt} is null)`,
    ),
  ],
);

/**
 * The SEFAZ simulator's switch (one row): whether it answers, or plays SEFAZ unreachable (every call
 * fails like a refused connection) so the NFC-e contingency can be shown and tested. Kept in the database
 * so a restart, or a second process, sees the same SEFAZ.
 */
export const sefazSimulatorState = pgTable(
  'sefaz_simulator_state',
  {
    id: smallint('id').primaryKey().default(1),
    available: boolean('available').notNull().default(true),
    changedBy: text('changed_by'),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('sefaz_simulator_state_single_chk', sql`${t.id} = 1`)],
);

/**
 * Ranges of a store's series voided at SEFAZ (inutilização, NFeInutilizacao4, MOC 7.0 §4.5): numbers the
 * counter handed out that no document will ever carry. The signed `inutNFe` is kept as sent, then
 * SEFAZ's `ProcInutNFe` once it answers 102; sent by the outbox worker like the documents.
 */
export const fiscalVoidedRanges = pgTable(
  'fiscal_voided_ranges',
  {
    id: uuid('id').primaryKey(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    storeId: uuid('store_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    model: smallint('model').notNull(),
    series: integer('series').notNull(),
    /** The year of the request's `ano`: the numbers' year (the year they were reserved in). */
    year: smallint('year').notNull(),
    fromNumber: integer('from_number').notNull(),
    toNumber: integer('to_number').notNull(),
    justification: text('justification').notNull(),
    status: text('status', { enum: voidedRangeStatuses }).notNull(),
    origin: text('origin', { enum: voidOrigins }).notNull(),
    xml: text('xml').notNull(),
    protocol: text('protocol'),
    rejectionCode: integer('rejection_code'),
    rejectionReason: text('rejection_reason'),
    requestedBy: text('requested_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    voidedAt: timestamp('voided_at', { withTimezone: true }),
  },
  (t) => [
    index('fiscal_voided_ranges_series_idx').on(t.storeId, t.model, t.series, t.fromNumber),
    index('fiscal_voided_ranges_created_idx').on(t.createdAt),
    check('fiscal_voided_ranges_model_chk', sql`${t.model} in (55, 65)`),
    check('fiscal_voided_ranges_series_chk', sql`${t.series} between 0 and 999`),
    check(
      'fiscal_voided_ranges_numbers_chk',
      sql`${t.fromNumber} between 1 and 999999999 and ${t.toNumber} between ${t.fromNumber} and 999999999`,
    ),
    check('fiscal_voided_ranges_status_chk', oneOf('status', voidedRangeStatuses)),
    check('fiscal_voided_ranges_origin_chk', oneOf('origin', voidOrigins)),
  ],
);

/**
 * The ranges the SEFAZ simulator voided (NFeInutilizacao4), so that after a restart it still refuses a
 * range voided before (563 the same range, 256 one that shares a number).
 */
export const sefazSimulatorVoidedRanges = pgTable(
  'sefaz_simulator_voided_ranges',
  {
    id: text('id').primaryKey(),
    emitterCnpj: text('emitter_cnpj').notNull(),
    model: char('model', { length: 2 }).notNull(),
    series: integer('series').notNull(),
    fromNumber: integer('from_number').notNull(),
    toNumber: integer('to_number').notNull(),
    protocol: text('protocol').notNull(),
    voidedAt: timestamp('voided_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sefaz_simulator_voided_ranges_series_idx').on(t.emitterCnpj, t.model, t.series)],
);
export const contingencyModeStates = ['alarm', 'active', 'ended'] as const;

/**
 * NF-e contingency in SVC per store (MOC 7.0 §3; NT 2013.007): `alarm` when the state's authoriser was
 * found down and nobody confirmed the contingency yet; `active` while new NF-e are issued in SVC (tpEmis
 * 6/7 with dhCont = `since`, xJust = `justification`); `ended` once left. One open row (alarm or active)
 * per store and model; ended rows are the history.
 */
export const fiscalContingencyModes = pgTable(
  'fiscal_contingency_modes',
  {
    id: uuid('id').primaryKey(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    model: smallint('model').notNull().default(55),
    state: text('state', { enum: contingencyModeStates }).notNull(),
    /** SVC-AN (tpEmis 6) or SVC-RS (tpEmis 7): the state's contingency authoriser. */
    authoriser: text('authoriser', { enum: ['SVC-AN', 'SVC-RS'] }).notNull(),
    emissionType: smallint('emission_type').notNull(),
    /** When the authoriser was found down, and how (the fault or the status answer). */
    raisedAt: timestamp('raised_at', { withTimezone: true }).notNull(),
    raisedBy: text('raised_by').notNull(),
    /** dhCont of every NF-e issued in this contingency. */
    since: timestamp('since', { withTimezone: true }),
    /** xJust, 15–256 characters (B29). */
    justification: text('justification'),
    /** The user who confirmed it, or `system` (IN_CONTINGENCIA_SVC_AUTO). */
    confirmedBy: text('confirmed_by'),
    /** Their name as the panel shows it ("automático" for `system`). */
    confirmedByName: text('confirmed_by_name'),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    endedBy: text('ended_by'),
    endedByName: text('ended_by_name'),
    endReason: text('end_reason'),
  },
  (t) => [
    uniqueIndex('fiscal_contingency_modes_open_uq').on(t.storeId, t.model).where(sql`${t.state} <> 'ended'`),
    index('fiscal_contingency_modes_store_idx').on(t.storeId, t.raisedAt),
    check('fiscal_contingency_modes_state_chk', oneOf('state', contingencyModeStates)),
    check('fiscal_contingency_modes_model_chk', sql`${t.model} = 55`),
    check(
      'fiscal_contingency_modes_svc_chk',
      sql`(${t.authoriser} = 'SVC-AN' and ${t.emissionType} = 6) or (${t.authoriser} = 'SVC-RS' and ${t.emissionType} = 7)`,
    ),
    check(
      'fiscal_contingency_modes_active_chk',
      sql`(${t.state} = 'alarm') = (${t.since} is null) and (${t.since} is null) = (${t.justification} is null) and (${t.since} is null) = (${t.confirmedBy} is null) and (${t.state} = 'ended') = (${t.endedAt} is not null)`,
    ),
  ],
);
