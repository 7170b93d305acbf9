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
