/**
 * The fiscal document (NF-e model 55, NFC-e model 65) as the domain sees it, and the arithmetic that
 * turns it into the values the layout carries. Pure: money is integer cents (bigint), quantities are
 * integers, tax rates are decimal strings; nothing here reads a clock or a database.
 */
import { fail, ok, type Result } from '../platform/errors.ts';

import { type Cents, fromCents } from '../platform/money.ts';
import { ufCodes } from '../platform/uf.ts';

export type { Cents };

/** IBGE state codes (cUF), MOC 7.0 Anexo I, "Tabela de UF": the shared kernel's table. */
export const stateCodes = ufCodes;
export type Uf = keyof typeof stateCodes;

export interface FiscalAddress {
  readonly street: string;
  readonly number: string;
  readonly complement?: string;
  readonly district: string;
  /** IBGE municipality code, 7 digits (cMun). */
  readonly cityCode: string;
  readonly city: string;
  readonly state: Uf;
  readonly postalCode: string;
  readonly phone?: string;
}

/** CRT: 1 Simples Nacional, 2 Simples Nacional over the gross revenue sublimit, 3 regime normal, 4 MEI. */
export type TaxRegime = 1 | 2 | 3 | 4;

export interface FiscalEmitter {
  readonly cnpj: string;
  readonly name: string;
  readonly tradeName?: string;
  readonly stateRegistration: string;
  readonly taxRegime: TaxRegime;
  readonly address: FiscalAddress;
}

export interface FiscalRecipient {
  readonly document: { readonly kind: 'cpf' | 'cnpj'; readonly number: string };
  readonly name: string;
  /** indIEDest: 1 ICMS contributor, 2 exempt contributor, 9 non-contributor (a consumer). */
  readonly stateRegistrationIndicator: '1' | '2' | '9';
  readonly stateRegistration?: string;
  readonly address?: FiscalAddress;
  readonly email?: string;
}

/** Origin of the goods (orig), 0 national … 8; Torig in the layout. */
export type GoodsOrigin = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8';

export type IcmsTax =
  /** Simples Nacional without ICMS credit (CSOSN 102/103/300/400): no base nor value in the document. */
  | {
      readonly regime: 'simples';
      readonly origin: GoodsOrigin;
      readonly csosn: '102' | '103' | '300' | '400';
    }
  /** Regime normal, fully taxed (CST 00): base = item value after discount plus its freight share. */
  | { readonly regime: 'normal'; readonly origin: GoodsOrigin; readonly cst: '00'; readonly rate: string };

export type PisCofinsTax =
  /** CST 01/02: taxed at a rate on the item value. */
  | { readonly cst: '01' | '02'; readonly rate: string }
  /** CST 49/99 ("outras"): informed with zero base, rate and value (the usual Simples Nacional case). */
  | { readonly cst: '49' | '99' };

export interface FiscalItem {
  readonly code: string;
  /** GTIN; absent means 'SEM GTIN'. */
  readonly ean?: string;
  readonly description: string;
  readonly ncm: string;
  readonly cest?: string;
  readonly cfop: string;
  readonly unit: string;
  readonly quantity: number;
  readonly unitPrice: Cents;
  readonly discount?: Cents;
  readonly icms: IcmsTax;
  readonly pis: PisCofinsTax;
  readonly cofins: PisCofinsTax;
}

/** tPag, MOC 7.0: 01 cash, 03 credit card, 04 debit card, 15 boleto, 17 PIX, 90 none (a transfer), 99 others. */
export type PaymentMethod = '01' | '03' | '04' | '05' | '10' | '15' | '16' | '17' | '18' | '90' | '99';

export interface FiscalPayment {
  readonly method: PaymentMethod;
  /** xPag: what the payment was, required with tPag 99 (others). */
  readonly description?: string;
  readonly amount: Cents;
  readonly card?: {
    /** tpIntegra: 1 integrated with the POS/TEF, 2 not integrated. */
    readonly integration: '1' | '2';
    readonly acquirerCnpj?: string;
    /** tBand: 01 Visa, 02 Mastercard, … */
    readonly brand?: string;
    readonly authorization?: string;
  };
}

export interface Billing {
  /** nFat: the invoice's number (the order's). */
  readonly number: string;
  readonly installments: readonly {
    /** nDup: 001, 002, … (rejection 857 otherwise). */
    readonly number: string;
    /** dVenc, YYYY-MM-DD, not before the issue date. */
    readonly dueDate: string;
    readonly amount: Cents;
  }[];
}

/**
 * Installments of `total` due every `days` days after `issuedOn` (YYYY-MM-DD): equal parts, the cents
 * left over on the first, numbered 001, 002, …
 */
export function installmentsOf(
  total: Cents,
  count: number,
  issuedOn: string,
  days = 30,
): Billing['installments'] {
  const n = BigInt(count);
  const part = total / n;
  const first = total - part * (n - 1n);
  const start = Date.parse(`${issuedOn}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => ({
    number: String(i + 1).padStart(3, '0'),
    dueDate: new Date(start + (i + 1) * days * 86_400_000).toISOString().slice(0, 10),
    amount: i === 0 ? first : part,
  }));
}

/** modFrete: 0 by the emitter (CIF), 1 by the recipient (FOB), 2 third party, 3/4 own transport, 9 none. */
export type FreightMode = '0' | '1' | '2' | '3' | '4' | '9';

export interface FiscalDocument {
  /** tpAmb: 1 production, 2 homologação (test environment). */
  readonly environment: '1' | '2';
  readonly model: '55' | '65';
  readonly series: number;
  readonly number: number;
  /** cNF, generated once with `generateNumericCode` and kept, so a retry rebuilds the same key. */
  readonly numericCode: string;
  readonly issuedAt: Date;
  readonly natureOfOperation: string;
  /** tpNF: 0 entrada (in), 1 saída (out). */
  readonly direction: '0' | '1';
  /** finNFe: 1 normal (absent), 2 complementary, 3 adjustment, 4 devolução de mercadoria (a return). */
  readonly finality?: '1' | '2' | '3' | '4';
  /** NFref/refNFe: the access keys of the NF-e or NFC-e this document refers to (a return's original sale). */
  readonly referencedKeys?: readonly string[];
  /** idDest: 1 within the state, 2 interstate, 3 abroad. */
  readonly destination: '1' | '2' | '3';
  /** indFinal: the recipient is a final consumer. */
  readonly finalConsumer: boolean;
  /** indPres: 1 in person, 2 internet, 3 telephone, 4 NFC-e delivery, 9 other. */
  readonly presence: '0' | '1' | '2' | '3' | '4' | '5' | '9';
  readonly emitter: FiscalEmitter;
  readonly recipient?: FiscalRecipient;
  readonly items: readonly FiscalItem[];
  readonly freight: { readonly mode: FreightMode; readonly amount: Cents };
  readonly payments: readonly FiscalPayment[];
  /** cobr: the invoice (fatura) and its installments (duplicatas) when the sale is billed in parts. */
  readonly billing?: Billing;
  /**
   * Issued in contingency: tpEmis, dhCont (when the contingency started) and xJust (15–256 characters,
   * MOC 7.0 B28/B29). Absent: normal emission (tpEmis 1). An NFC-e takes 9, offline contingency
   * (NT 2015.002), transmitted within 24 h of emission.
   */
  readonly contingency?: Contingency;
  readonly additionalInfo?: { readonly forFisco?: string; readonly forTaxpayer?: string };
}

/** tpEmis 9: contingência off-line da NFC-e (NT 2015.002; MOC 7.0, field B22). */
export const OFFLINE_CONTINGENCY = 9;

/**
 * tpEmis 6 and 7: NF-e in SVC (Sefaz Virtual de Contingência) of the Ambiente Nacional or of Rio Grande do
 * Sul (NT 2013.007; MOC 7.0 §3, field B22): sent online to the state's contingency authoriser.
 */
export const SVC_AN = 6;
export const SVC_RS = 7;

export interface Contingency {
  readonly emissionType: typeof OFFLINE_CONTINGENCY | typeof SVC_AN | typeof SVC_RS;
  /** dhCont: when the store entered contingency. */
  readonly since: Date;
  /** xJust, 15 to 256 characters. */
  readonly justification: string;
}

/** xJust of B29: 15 to 256 characters. */
export const CONTINGENCY_JUSTIFICATION_MIN = 15;
export const CONTINGENCY_JUSTIFICATION_MAX = 256;

/** The justification written when the authoriser could not be reached. */
export const UNREACHABLE_JUSTIFICATION =
  'SEFAZ indisponível: sem comunicação com o web service de autorização';

/**
 * An NFC-e in offline contingency must reach SEFAZ within 24 h of its emission (NT 2015.002, "prazo
 * de transmissão"); the back office warns when less than `CONTINGENCY_WARNING_MS` is left.
 */
export const CONTINGENCY_DEADLINE_MS = 24 * 3_600_000;
export const CONTINGENCY_WARNING_MS = 6 * 3_600_000;

export type DeadlineLevel = 'ok' | 'warning' | 'overdue';

/** How close a contingency document is to its transmission deadline. */
export function deadlineLevel(deadline: Date, now: Date): DeadlineLevel {
  const left = deadline.getTime() - now.getTime();
  if (left <= 0) return 'overdue';
  return left < CONTINGENCY_WARNING_MS ? 'warning' : 'ok';
}

export interface ComputedItem {
  readonly grossValue: Cents;
  readonly discount: Cents;
  readonly freight: Cents;
  readonly icmsBase: Cents;
  readonly icmsValue: Cents;
  readonly pisBase: Cents;
  readonly pisValue: Cents;
  readonly cofinsBase: Cents;
  readonly cofinsValue: Cents;
}

/** ICMSTot: each total is the sum of its item fields (rejections 531–564), vNF as in rejection 610. */
export interface DocumentTotals {
  readonly icmsBase: Cents;
  readonly icmsValue: Cents;
  readonly products: Cents;
  readonly freight: Cents;
  readonly discount: Cents;
  readonly pis: Cents;
  readonly cofins: Cents;
  readonly total: Cents;
}

export interface ComputedDocument {
  readonly items: readonly ComputedItem[];
  readonly totals: DocumentTotals;
  /** vTroco = payments − vNF (rejection 869 when it differs). */
  readonly change: Cents;
}

/**
 * Splits `total` across `weights` in proportion, exactly: each share is the floor of its proportion and
 * the cents left go to the largest remainders (ties to the earlier item). All-zero weights split evenly.
 */
export function apportion(total: Cents, weights: readonly Cents[]): Cents[] {
  if (weights.length === 0) {
    if (total !== 0n) throw new RangeError('nothing to apportion onto');
    return [];
  }
  if (total < 0n || weights.some((w) => w < 0n)) throw new RangeError('apportion takes non-negative values');
  const sum = weights.reduce((a, b) => a + b, 0n);
  const basis = sum === 0n ? weights.map(() => 1n) : weights;
  const basisSum = sum === 0n ? BigInt(weights.length) : sum;
  const shares = basis.map((w) => (total * w) / basisSum);
  const remainders = basis.map((w, index) => ({ index, rest: (total * w) % basisSum }));
  let left = total - shares.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (a.rest === b.rest ? a.index - b.index : a.rest > b.rest ? -1 : 1));
  for (const { index } of remainders) {
    if (left === 0n) break;
    shares[index]! += 1n;
    left -= 1n;
  }
  return shares;
}

/** A percentage with up to 4 decimals ('18', '1.65', '7.6000') in ten-thousandths of a percent. */
export function parseRate(rate: string): bigint | null {
  const match = /^(\d{1,3})(?:\.(\d{1,4}))?$/.exec(rate);
  if (!match) return null;
  const value = BigInt(match[1]!) * 10_000n + BigInt((match[2] ?? '').padEnd(4, '0'));
  return value > 1_000_000n ? null : value;
}

/** base × rate%, rounded half up to the cent. */
export function applyRate(base: Cents, rate: bigint): Cents {
  return (base * rate + 500_000n) / 1_000_000n;
}

/** TDec_0302a04: at least 2 and at most 4 decimals. */
export function formatRate(rate: bigint): string {
  const decimals = String(rate % 10_000n)
    .padStart(4, '0')
    .replace(/0{1,2}$/, '');
  return `${rate / 10_000n}.${decimals}`;
}

type Problem = { path: string; message: string };

/** Computes item values, taxes and totals; refuses what SEFAZ would refuse for arithmetic reasons. */
export function computeDocument(doc: FiscalDocument): Result<ComputedDocument> {
  const problems: Problem[] = [];
  if (doc.items.length === 0) problems.push({ path: 'items', message: 'a nota precisa de ao menos um item' });
  if (doc.items.length > 990) problems.push({ path: 'items', message: 'no máximo 990 itens por nota' });
  doc.items.forEach((item, i) => {
    if (!Number.isSafeInteger(item.quantity) || item.quantity <= 0)
      problems.push({ path: `items/${i}/quantity`, message: 'quantidade inteira e positiva' });
    if (item.unitPrice < 0n) problems.push({ path: `items/${i}/unitPrice`, message: 'preço negativo' });
    const discount = item.discount ?? 0n;
    if (discount < 0n || discount > item.unitPrice * BigInt(Math.max(item.quantity, 0)))
      problems.push({ path: `items/${i}/discount`, message: 'desconto maior que o valor do item' });
    for (const [name, rate] of rates(item))
      if (parseRate(rate) === null)
        problems.push({ path: `items/${i}/${name}`, message: 'alíquota inválida' });
  });
  // Rejection 321: an NF-e de devolução names the document whose goods come back.
  if (doc.finality === '4' && !doc.referencedKeys?.length)
    problems.push({ path: 'referencedKeys', message: 'a devolução referencia a nota original' });
  doc.referencedKeys?.forEach((key, i) => {
    if (!/^[0-9]{44}$/.test(key))
      problems.push({ path: `referencedKeys/${i}`, message: 'chave de acesso de 44 dígitos' });
  });
  if (doc.freight.amount < 0n) problems.push({ path: 'freight/amount', message: 'frete negativo' });
  if (doc.freight.mode === '9' && doc.freight.amount !== 0n)
    problems.push({ path: 'freight/mode', message: 'frete cobrado exige modalidade de frete' });
  if (doc.payments.length === 0 || doc.payments.length > 100)
    problems.push({ path: 'payments', message: 'de 1 a 100 pagamentos' });
  doc.payments.forEach((p, i) => {
    if (p.amount < 0n) problems.push({ path: `payments/${i}/amount`, message: 'pagamento negativo' });
  });
  if (problems.length > 0) return invalid(problems);

  const net = doc.items.map((item) => item.unitPrice * BigInt(item.quantity) - (item.discount ?? 0n));
  const freightShares = apportion(doc.freight.amount, net);
  const items = doc.items.map((item, i): ComputedItem => {
    const grossValue = item.unitPrice * BigInt(item.quantity);
    const discount = item.discount ?? 0n;
    const freight = freightShares[i]!;
    // The freight the seller charges is part of the ICMS base (LC 87/96 art. 13 §1 II b).
    const base = grossValue - discount + freight;
    const icmsBase = item.icms.regime === 'normal' ? base : 0n;
    const icmsValue = item.icms.regime === 'normal' ? applyRate(base, parseRate(item.icms.rate)!) : 0n;
    const [pisBase, pisValue] = pisCofins(item.pis, base);
    const [cofinsBase, cofinsValue] = pisCofins(item.cofins, base);
    return { grossValue, discount, freight, icmsBase, icmsValue, pisBase, pisValue, cofinsBase, cofinsValue };
  });
  const sum = (pick: (item: ComputedItem) => Cents) => items.reduce((a, item) => a + pick(item), 0n);
  const products = sum((x) => x.grossValue);
  const discount = sum((x) => x.discount);
  const freight = sum((x) => x.freight);
  const totals: DocumentTotals = {
    icmsBase: sum((x) => x.icmsBase),
    icmsValue: sum((x) => x.icmsValue),
    products,
    freight,
    discount,
    pis: sum((x) => x.pisValue),
    cofins: sum((x) => x.cofinsValue),
    // vNF = vProd − vDesc − vICMSDeson + vST + vFCPST + vFrete + vSeg + vOutro + vII + vIPI + vIPIDevol
    // + vServ (rejection 610); the groups this builder emits leave vProd − vDesc + vFrete.
    total: products - discount + freight,
  };
  if (doc.billing) {
    const billed = doc.billing.installments.reduce((a, d) => a + d.amount, 0n);
    const issued = brasiliaDate(doc.issuedAt);
    const wrong = doc.billing.installments.findIndex(
      (d, i) => d.number !== String(i + 1).padStart(3, '0') || d.dueDate < issued || d.amount <= 0n,
    );
    if (
      doc.billing.installments.length === 0 ||
      doc.billing.installments.length > 120 ||
      wrong >= 0 ||
      billed > totals.total
    )
      return invalid([
        {
          path: 'billing',
          message: 'parcelas numeradas 001…, com vencimento a partir da emissão e soma até o total',
        },
      ]);
  }
  // tPag 90 "sem pagamento" (a transfer, a remessa) carries vPag 0 and nothing else.
  if (doc.payments.some((p) => p.method === '90')) {
    if (doc.payments.length !== 1 || doc.payments[0]!.amount !== 0n)
      return invalid([
        { path: 'payments', message: 'sem pagamento (90) é o único pagamento, de valor zero' },
      ]);
    return ok({ items, totals, change: 0n });
  }
  const paid = doc.payments.reduce((a, p) => a + p.amount, 0n);
  // Rejection 865: total of the payments below the total of the document.
  if (paid < totals.total)
    return invalid([
      {
        path: 'payments',
        message: `pagamentos (${fromCents(paid)}) menores que o total da nota (${fromCents(totals.total)})`,
      },
    ]);
  return ok({ items, totals, change: paid - totals.total });
}

function pisCofins(tax: PisCofinsTax, base: Cents): [Cents, Cents] {
  return 'rate' in tax ? [base, applyRate(base, parseRate(tax.rate)!)] : [0n, 0n];
}

function rates(item: FiscalItem): [string, string][] {
  const out: [string, string][] = [];
  if (item.icms.regime === 'normal') out.push(['icms/rate', item.icms.rate]);
  if ('rate' in item.pis) out.push(['pis/rate', item.pis.rate]);
  if ('rate' in item.cofins) out.push(['cofins/rate', item.cofins.rate]);
  return out;
}

function invalid(errors: Problem[]) {
  return fail('invalid', 'FISCAL.DOCUMENT_INVALID', 'A nota fiscal tem valores inválidos.', {
    errors: errors.map((e) => ({ ...e, code: 'FISCAL.DOCUMENT_INVALID' })),
  });
}

/** NF-e model 55, NFC-e model 65 (MOC 7.0, field B06 `mod`). */
export const fiscalModels = [55, 65] as const;
export type FiscalModel = (typeof fiscalModels)[number];

/**
 * Where a stored document stands. It is recorded signed and schema-valid, already on its way to SEFAZ
 * (`sending`); SEFAZ's answer makes it `authorised` or `rejected`; a registered cancellation event
 * makes an authorised one `cancelled`. An NFC-e that could not reach SEFAZ is issued again in offline
 * contingency (`contingency`: valid for the sale, still to be transmitted within 24 h). An NF-e of a
 * store whose TP_ENVIO_NFE_AUTOMATIC is 0 or 2 waits signed in `unsent` until someone transmits it.
 */
export const fiscalDocumentStatuses = [
  'unsent',
  'sending',
  'contingency',
  'authorised',
  'rejected',
  'denied',
  'cancelled',
] as const;
export type FiscalDocumentStatus = (typeof fiscalDocumentStatuses)[number];

export const documentStatusLabels: Record<FiscalDocumentStatus, string> = {
  unsent: 'Aguardando transmissão',
  sending: 'Enviando à SEFAZ',
  contingency: 'Emitida em contingência',
  authorised: 'Autorizada',
  rejected: 'Rejeitada',
  denied: 'Uso denegado',
  cancelled: 'Cancelada',
};

/** The lifecycle of a fiscal document: every status change of `fiscal_documents` is one of these edges. */
export const documentTransitions: readonly {
  readonly from: FiscalDocumentStatus | null;
  readonly to: FiscalDocumentStatus;
  readonly description: string;
}[] = [
  {
    from: null,
    to: 'sending',
    description: 'Issued: numbered, built, signed, schema-valid, queued for SEFAZ',
  },
  {
    from: null,
    to: 'unsent',
    description:
      'Issued with manual transmission (TP_ENVIO_NFE_AUTOMATIC 0 or 2): numbered, built, signed, schema-valid, kept',
  },
  { from: 'unsent', to: 'sending', description: 'Transmitted by hand ("Transmitir"): queued for SEFAZ' },
  {
    from: 'sending',
    to: 'authorised',
    description:
      'SEFAZ authorised it (cStat 100, or 150 late): protocol and nfeProc kept; after a fault, read back by consulting the key',
  },
  {
    from: 'sending',
    to: 'denied',
    description:
      'Uso denegado (cStat 110/301/302): SEFAZ keeps it with a protocol, the nfeProc is kept and the number is used up',
  },
  {
    from: 'sending',
    to: 'rejected',
    description: 'SEFAZ rejected it (its cStat and xMotivo kept); the number stays free',
  },
  {
    from: 'sending',
    to: 'contingency',
    description:
      'NFC-e only: SEFAZ unreachable, issued again in offline contingency (tpEmis 9, dhCont, xJust), same number, new key; the sale is made',
  },
  {
    from: 'contingency',
    to: 'authorised',
    description:
      'Transmitted once SEFAZ is back (within 24 h), authorised under the contingency key; or rejection 539 naming its own online key (the online NFC-e had reached SEFAZ): adopted under that key',
  },
  {
    from: 'contingency',
    to: 'rejected',
    description: 'SEFAZ refused the contingency document: an alarm in the back office, the sale stands',
  },
  {
    from: 'contingency',
    to: 'denied',
    description: 'Uso denegado of the contingency document: the number is used up, the alarm shows it',
  },
  { from: 'rejected', to: 'sending', description: 'Issued again under the same number once corrected' },
  {
    from: 'rejected',
    to: 'unsent',
    description: 'Issued again under the same number, to be transmitted by hand',
  },
  { from: 'authorised', to: 'cancelled', description: 'Cancellation event 110111 registered (cStat 135)' },
];

/** Whether the lifecycle has the edge `from` → `to`. */
export const canMoveDocument = (from: FiscalDocumentStatus | null, to: FiscalDocumentStatus): boolean =>
  documentTransitions.some((t) => t.from === from && t.to === to);

/** Where a voided range stands (numbering/): on its way to SEFAZ, voided (cStat 102), or refused. */
export const voidedRangeStatuses = ['sending', 'voided', 'rejected'] as const;
export type VoidedRangeStatus = (typeof voidedRangeStatuses)[number];
/** Who asked for it: a user on the screen, or the night job. */
export const voidOrigins = ['manual', 'automatic'] as const;
export type VoidOrigin = (typeof voidOrigins)[number];

export const fiscalPurposes = ['sale', 'transfer_out', 'transfer_in', 'customer_return'] as const;
export type FiscalPurpose = (typeof fiscalPurposes)[number];

/** Series 0–999 (field B07 `serie`, 3 digits) and numbers 1–999,999,999 (B08 `nNF`, 9 digits). */
export const MAX_SERIES = 999;
export const MAX_DOCUMENT_NUMBER = 999_999_999;

/** The calendar date in Brasília (UTC−3, no daylight saving time since 2019), YYYY-MM-DD. */
export function brasiliaDate(at: Date): string {
  return new Date(at.getTime() - 3 * 3_600_000).toISOString().slice(0, 10);
}

/** The document as JSON for storage (fiscal_documents.content): cents as decimal strings, dates as ISO. */
export function documentToJson(doc: FiscalDocument): unknown {
  return JSON.parse(
    JSON.stringify(doc, (_key, value) => (typeof value === 'bigint' ? value.toString() : value)),
  );
}

/** The inverse of `documentToJson`. */
export function documentFromJson(json: unknown): FiscalDocument {
  // biome-ignore lint/suspicious/noExplicitAny: the stored shape is documentToJson's output.
  const doc = json as any;
  return {
    ...doc,
    issuedAt: new Date(doc.issuedAt),
    ...(doc.contingency
      ? { contingency: { ...doc.contingency, since: new Date(doc.contingency.since) } }
      : {}),
    // biome-ignore lint/suspicious/noExplicitAny: as above.
    items: doc.items.map((item: any) => ({
      ...item,
      unitPrice: BigInt(item.unitPrice),
      ...(item.discount === undefined ? {} : { discount: BigInt(item.discount) }),
    })),
    freight: { ...doc.freight, amount: BigInt(doc.freight.amount) },
    // biome-ignore lint/suspicious/noExplicitAny: as above.
    payments: doc.payments.map((payment: any) => ({ ...payment, amount: BigInt(payment.amount) })),
    ...(doc.billing
      ? {
          billing: {
            ...doc.billing,
            // biome-ignore lint/suspicious/noExplicitAny: as above.
            installments: doc.billing.installments.map((d: any) => ({ ...d, amount: BigInt(d.amount) })),
          },
        }
      : {}),
  };
}
