/**
 * Fiscal operations: which CFOP and natOp (natureza da operação) a document carries for each business
 * scenario. Pure: the defaults from the CFOP table (Convênio s/nº de 1970, Ajuste SINIEF 07/01 annex),
 * the choice between intrastate and interstate codes, and the checks an override must pass.
 */

import type { FieldError } from '../platform/errors.ts';

export const fiscalOperations = [
  'sale',
  'home_delivery',
  'pickup',
  'transfer_out',
  'transfer_in',
  'customer_return',
] as const;
export type FiscalOperation = (typeof fiscalOperations)[number];

export const isFiscalOperation = (value: string): value is FiscalOperation =>
  (fiscalOperations as readonly string[]).includes(value);

/** Entries (tpNF 0) take CFOPs starting 1/2/3; exits (tpNF 1) 5/6/7. */
export type Direction = 'entry' | 'exit';

export const operationDirection: Readonly<Record<FiscalOperation, Direction>> = {
  sale: 'exit',
  home_delivery: 'exit',
  pickup: 'exit',
  transfer_out: 'exit',
  transfer_in: 'entry',
  customer_return: 'entry',
};

export interface OperationConfig {
  cfopIntrastate: string;
  cfopInterstate: string;
  /** For an interstate exit to a recipient who is not an ICMS contributor; null: `cfopInterstate`. */
  cfopInterstateNonContributor: string | null;
  /** natOp of the NF-e, 1 to 60 characters. */
  natOp: string;
}

const resale = 'Venda de mercadoria adquirida ou recebida de terceiros';
// The CFOP table's own wording ("… adquirida ou recebida de terceiros") has 62 characters; natOp allows 60.
const transfer = 'Transferência de mercadoria adquirida de terceiros';
// CFOP 1202/2202: "Devolução de venda de mercadoria adquirida ou recebida de terceiros", shortened like resale.
const customerReturn = 'Devolução de venda de mercadoria adquirida de terceiros';

/** What applies when no node of the chain configures the operation. */
export const defaultOperations: Readonly<Record<FiscalOperation, Readonly<OperationConfig>>> = {
  // 6108: venda de mercadoria adquirida de terceiros destinada a não contribuinte (EC 87/2015, DIFAL).
  sale: {
    cfopIntrastate: '5102',
    cfopInterstate: '6102',
    cfopInterstateNonContributor: '6108',
    natOp: resale,
  },
  home_delivery: {
    cfopIntrastate: '5102',
    cfopInterstate: '6102',
    cfopInterstateNonContributor: '6108',
    natOp: resale,
  },
  pickup: {
    cfopIntrastate: '5102',
    cfopInterstate: '6102',
    cfopInterstateNonContributor: '6108',
    natOp: resale,
  },
  transfer_out: {
    cfopIntrastate: '5152',
    cfopInterstate: '6152',
    cfopInterstateNonContributor: null,
    natOp: transfer,
  },
  transfer_in: {
    cfopIntrastate: '1152',
    cfopInterstate: '2152',
    cfopInterstateNonContributor: null,
    natOp: transfer,
  },
  // The store's NF-e de entrada for goods a customer brings back (finNFe 4), in the same UF or from another.
  customer_return: {
    cfopIntrastate: '1202',
    cfopInterstate: '2202',
    cfopInterstateNonContributor: null,
    natOp: customerReturn,
  },
};

/**
 * A sale handed over in person at the store is an internal operation wherever the buyer lives: the goods
 * leave the emitter's state inside it (idDest 1), so only the intrastate CFOP applies.
 */
const inPerson: ReadonlySet<FiscalOperation> = new Set(['pickup']);

export interface OperationParties {
  /** The UF of the document's emitter (for `transfer_in`, the sending store). */
  emitterUf: string;
  recipientUf: string;
  recipientIsContributor: boolean;
}

/** idDest: 1 internal, 2 interstate. */
export function isInterstate(operation: FiscalOperation, parties: OperationParties): boolean {
  return !inPerson.has(operation) && parties.emitterUf !== parties.recipientUf;
}

/** The CFOP a document of this operation carries between these parties. */
export function cfopFor(
  operation: FiscalOperation,
  parties: OperationParties,
  config: OperationConfig = defaultOperations[operation],
): string {
  if (!isInterstate(operation, parties)) return config.cfopIntrastate;
  if (operationDirection[operation] === 'exit' && !parties.recipientIsContributor)
    return config.cfopInterstateNonContributor ?? config.cfopInterstate;
  return config.cfopInterstate;
}

/** The CFOP's first digit by direction and destination (CFOP table, "das entradas" / "das saídas"). */
const firstDigit: Readonly<Record<Direction, { intrastate: string; interstate: string }>> = {
  entry: { intrastate: '1', interstate: '2' },
  exit: { intrastate: '5', interstate: '6' },
};

export const NAT_OP_MAX_LENGTH = 60;

/** Problems with an override, each with the JSON path of the field (empty when it is valid). */
export function validateOperationConfig(operation: FiscalOperation, config: OperationConfig): FieldError[] {
  const errors: FieldError[] = [];
  const digits = firstDigit[operationDirection[operation]];
  const check = (path: string, cfop: string, first: string, what: string) => {
    if (!/^\d{4}$/.test(cfop))
      errors.push({ path, code: 'FISCAL.CFOP_FORMAT', message: 'must be a CFOP of 4 digits' });
    else if (cfop[0] !== first)
      errors.push({
        path,
        code: 'FISCAL.CFOP_DIRECTION',
        params: { first, direction: operationDirection[operation] },
        message: `must start with ${first} (${what} ${operationDirection[operation]})`,
      });
  };
  check('/cfopIntrastate', config.cfopIntrastate, digits.intrastate, 'an intrastate');
  check('/cfopInterstate', config.cfopInterstate, digits.interstate, 'an interstate');
  if (config.cfopInterstateNonContributor !== null) {
    if (operationDirection[operation] === 'entry')
      errors.push({
        path: '/cfopInterstateNonContributor',
        code: 'FISCAL.CFOP_EXIT_ONLY',
        message: 'applies only to exits; must be null for an entry',
      });
    else
      check(
        '/cfopInterstateNonContributor',
        config.cfopInterstateNonContributor,
        digits.interstate,
        'an interstate',
      );
  }
  const natOp = config.natOp.trim();
  if (natOp.length === 0 || config.natOp.length > NAT_OP_MAX_LENGTH)
    errors.push({
      path: '/natOp',
      code: 'FISCAL.NAT_OP_LENGTH',
      params: { min: 1, max: NAT_OP_MAX_LENGTH },
      message: `must have 1 to ${NAT_OP_MAX_LENGTH} characters`,
    });
  return errors;
}

/** The configuration set nearest to the node (the chain runs root → node), else the default. */
export function resolveOperationConfig<N>(
  operation: FiscalOperation,
  chain: readonly { node: N; config: OperationConfig | undefined }[],
): { config: OperationConfig; source: N | null } {
  for (let i = chain.length - 1; i >= 0; i--) {
    const link = chain[i]!;
    if (link.config) return { config: link.config, source: link.node };
  }
  return { config: { ...defaultOperations[operation] }, source: null };
}
