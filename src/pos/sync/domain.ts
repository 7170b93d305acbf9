/**
 * The POS's data types (seed 000 §2, "Integração de dados que são enviados para o PDV") and the interval
 * at which each is offered to a store (LoteAgendamento). Pure: no I/O.
 *
 * `seedName` and `seedMinutes` are the seed's table ("Tipo / Minutos"); a type the seed lists as data the
 * POS downloads but gives no minutes for takes the Taskmanager's own period (10 minutes) or, when it is a
 * facet of a type that has minutes, that type's (product EANs follow products, NCM follows TributoNCM, SMS
 * promotions follow CampanhaLive).
 */

/** Where a type's records come from. */
export type DataTypeSource =
  /** Omnihub owns the data (a table of another context); its changes reach the feed by themselves. */
  | 'hub'
  /** The central's systems own it (ERP, tax engine): they write it through the records API. */
  | 'central';

export interface DataType {
  readonly code: string;
  /** The name the seed's LoteAgendamento table uses, when it names the type. */
  readonly seedName: string | null;
  /** The seed's minutes, when it gives them. */
  readonly seedMinutes: number | null;
  /** The default interval in minutes (the seed's, else the rule in this file's comment). */
  readonly minutes: number;
  readonly source: DataTypeSource;
}

const TASKMANAGER_PERIOD = 10;

const t = (
  code: string,
  seedName: string | null,
  seedMinutes: number | null,
  source: DataTypeSource,
  minutes = seedMinutes ?? TASKMANAGER_PERIOD,
): DataType => ({ code, seedName, seedMinutes, minutes, source });

export const dataTypes: readonly DataType[] = [
  t('parameters', null, null, 'hub'),
  t('store-setup', null, null, 'hub'),
  t('products', 'Produto', 90, 'hub'),
  t('product-eans', null, null, 'hub', 90),
  t('kits', 'Kit', 60, 'central'),
  t('stock', 'Estoque', 10, 'hub'),
  t('prices', 'Preco', 60, 'hub'),
  t('ecf-taxes', 'TributoECF', 60, 'central'),
  t('ncm-taxes', 'TributoNCM', 60, 'central'),
  t('ncm', null, null, 'central', 60),
  t('pis-cofins', 'PisCofins', 120, 'central'),
  t('icms-st', 'IcmsEst', 120, 'central'),
  t('icms-withheld', 'IcmsRet', 120, 'central'),
  t('fcp-balance', 'SaldoFCP', 120, 'central'),
  t('discount-reasons', 'TipoDesc', 120, 'central'),
  t('discount-rules', 'RegraDesc', 60, 'central'),
  t('payment-methods', 'TipoAltPG', 120, 'hub'),
  t('employees', 'Funcionario', 60, 'hub'),
  t('customers', 'Cliente', 120, 'hub'),
  t('suppliers', 'Fornecedor', 180, 'central'),
  t('states', 'Estado', 480, 'central'),
  t('cities', 'Cidade', 480, 'central'),
  t('lgpd-letter', 'CartaConsentimento', 300, 'central'),
  t('lgpd-settings', 'DadosLGPD', 300, 'central'),
  t('sale-modalities', 'Modalidade', 300, 'central'),
  t('sales-channels', 'CanalVenda', 300, 'central'),
  t('campaigns', 'CampanhaLive', 60, 'hub'),
  t('sms-promotions', null, null, 'central', 60),
  t('loyalty', 'Fidelidade', 150, 'central'),
  t('return-reasons', 'MotivoTD', 120, 'hub'),
  t('pre-sales', 'PreVenda', 10, 'hub'),
];

export const dataTypeCodes = dataTypes.map((d) => d.code) as [string, ...string[]];

export function dataTypeOf(code: string): DataType | undefined {
  return dataTypes.find((d) => d.code === code);
}

/** The longest interval a network or store may set: a week. */
export const MAX_INTERVAL_MINUTES = 7 * 24 * 60;

/** A place in the feed: the writing transaction and the order within it. */
export interface FeedPosition {
  readonly xid: number;
  readonly seq: number;
}

export const FEED_START: FeedPosition = { xid: 0, seq: 0 };

export const comparePositions = (a: FeedPosition, b: FeedPosition): number =>
  a.xid === b.xid ? Math.sign(a.seq - b.seq) : Math.sign(a.xid - b.xid);

const CURSOR_PREFIX = 'ps1.';

/** The opaque cursor the POS passes back as `since`: base64url of "ps1.xid.seq". */
export function encodeCursor(p: FeedPosition): string {
  return Buffer.from(`${CURSOR_PREFIX}${p.xid}.${p.seq}`, 'utf8').toString('base64url');
}

/** The position of a cursor this server issued, or undefined for anything else. */
export function decodeCursor(cursor: string): FeedPosition | undefined {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(cursor)) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^ps1\.(0|[1-9][0-9]{0,15})\.(0|[1-9][0-9]{0,15})$/.exec(text);
  if (!m) return undefined;
  const xid = Number(m[1]);
  const seq = Number(m[2]);
  if (!Number.isSafeInteger(xid) || !Number.isSafeInteger(seq)) return undefined;
  return { xid, seq };
}

/** What the due rule reads of a store's LoteControle row and its LoteExcecao. */
export interface DueInput {
  /** Null: the store never downloaded the type (no control row yet). */
  readonly lastDownloadAt: Date | null;
  readonly minutes: number;
  readonly exception: boolean;
  readonly fullLoadRequested: boolean;
  readonly now: Date;
}

/** When the store may next advance its release of the type; null while it is in the exception list. */
export function nextAllowedAt(input: Omit<DueInput, 'now' | 'fullLoadRequested'>): Date | null {
  if (input.exception) return null;
  if (!input.lastDownloadAt) return new Date(0);
  return new Date(input.lastDownloadAt.getTime() + input.minutes * 60_000);
}

/**
 * LoteAgendamento: a poll advances the store's release when it never downloaded the type, the interval has
 * passed since its last download, it is in the exception list (LoteExcecao), or support asked a full load.
 */
export function isDue(input: DueInput): boolean {
  if (input.exception || input.fullLoadRequested || !input.lastDownloadAt) return true;
  const next = nextAllowedAt(input);
  return next === null || input.now.getTime() >= next.getTime();
}

/** The effective interval: the store's own, else the network's, else the type's default. */
export function effectiveMinutes(
  type: DataType,
  network: number | null,
  store: number | null,
): { minutes: number; from: 'default' | 'network' | 'store' } {
  if (store !== null) return { minutes: store, from: 'store' };
  if (network !== null) return { minutes: network, from: 'network' };
  return { minutes: type.minutes, from: 'default' };
}

export const DEFAULT_PAGE = 500;
export const MAX_PAGE = 2000;
