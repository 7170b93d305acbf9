/**
 * The system parameters of an Omnihub network, each defined once. Codes are the seeds' codes (so an
 * implementer coming from the source documents finds them); where the seeds name a setting without a
 * code or without its values, the description says which part is Omnihub's own choice.
 * Pure data: no I/O. Types are declared here so domain.ts can import them without a cycle.
 */

export type NodeKind = 'network' | 'central' | 'store';
export const nodeKinds = ['network', 'central', 'store'] as const satisfies readonly NodeKind[];

export const parameterTypes = ['boolean', 'integer', 'string', 'url', 'enum', 'list'] as const;
export type ParameterType = (typeof parameterTypes)[number];

export const parameterGroups = [
  'hub',
  'pos',
  'acceptance',
  'sourcing',
  'endless_aisle',
  'fulfilment',
  'fiscal',
  'finance',
  'notifications',
] as const;
export type ParameterGroup = (typeof parameterGroups)[number];

export interface Choice {
  readonly value: string;
  /** pt-BR, shown in the back office. */
  readonly label: string;
}

interface Base {
  /** pt-BR, shown in the back office. */
  readonly label: string;
  readonly description: string;
  readonly group: ParameterGroup;
  /**
   * Whether a flow of Omnihub reads the parameter today. A parameter not yet honoured can be set (the
   * seeds define it) but changes nothing; the back office says so ("ainda sem efeito"), and
   * registry-honoured.test.ts keeps the mark true by looking for a reader outside src/parameters/.
   */
  readonly honoured: boolean;
  /** Node kinds that may hold a value; nodes of other kinds only inherit. */
  readonly scope: readonly NodeKind[];
  /** Whether a value set at a node is shown to users of the nodes below it (they always inherit it). */
  readonly public: boolean;
  /** A rule the type cannot express; returns the message of the violation. */
  readonly check?: (value: never) => string | null;
}

/** `default: null` means "not set": callers must handle the absence (e.g. fiscal pre-checks). */
export type Definition =
  | (Base & { readonly type: 'boolean'; readonly default: boolean | null })
  | (Base & {
      readonly type: 'integer';
      readonly min?: number;
      readonly max?: number;
      readonly default: number | null;
    })
  | (Base & {
      readonly type: 'string';
      readonly pattern?: string;
      /** Completes "must be …" when the pattern does not match. */
      readonly patternHint?: string;
      readonly maxLength?: number;
      readonly default: string | null;
    })
  | (Base & {
      readonly type: 'url';
      /** Also a `data:image/png|jpeg;base64,…` URL (an image kept in the parameter itself). */
      readonly imageData?: boolean;
      readonly default: string | null;
    })
  | (Base & { readonly type: 'enum'; readonly values: readonly Choice[]; readonly default: string | null })
  | (Base & {
      readonly type: 'list';
      /** When present, every item must be one of these. */
      readonly items?: readonly Choice[];
      readonly pattern?: string;
      readonly patternHint?: string;
      readonly maxItems?: number;
      readonly default: readonly string[] | null;
    });

const ALL = ['network', 'central', 'store'] as const;
/** Settable at every node kind and shown to the nodes below: most parameters. */
const everywhere = { scope: ALL, public: true } as const;
/** A code of another registry (reason, representative, print model, payment method...). */
const codeString = {
  type: 'string',
  pattern: '^[A-Za-z0-9_-]{1,20}$',
  patternHint: '1 to 20 letters, digits, "_" or "-"',
} as const;
const HUB_URL = 'http://127.0.0.1:3000/api/v1/';

export const registry = {
  '9242': {
    label: 'Customer - URL para consulta de pedidos pendentes',
    description:
      "Base URL of the order hub's API where pending omni orders are queried. The seeds default to the vendor's hosted service; Omnihub defaults to its own API. Handed to the POS by GET /pos/setup.",
    group: 'hub',
    honoured: true,
    type: 'url',
    default: HUB_URL,
    scope: ['network'],
    public: false,
  },
  '9253': {
    label: 'Loja participante do processo Omni Channel?',
    description:
      'The store takes part in the omnichannel process: it receives hub orders and its POS shows them. Set in the central for each store that receives orders (seeds: 1 = yes, 0 = no).',
    group: 'hub',
    honoured: true,
    type: 'boolean',
    default: false,
    scope: ['central', 'store'],
    public: true,
  },
  '9254': {
    label: 'IP/URL para acesso aos serviços Omni Channel pelo PDV',
    description:
      'Base URL the POS uses to reach the omni services (pending pickup orders, rescue, finish). Downloaded to the POS (GET /pos/setup): the POS client calls the API there.',
    group: 'pos',
    honoured: true,
    type: 'url',
    default: HUB_URL,
    ...everywhere,
  },
  '9258': {
    label: 'Tipo de documento padrão para pedido Omni',
    description:
      'Fiscal document type of omni orders that need an electronic invoice (ship from store). An NF-e is refused while it is not set. The seeds hold an ERP document-type code here; Omnihub uses the fiscal model code.',
    group: 'fiscal',
    honoured: true,
    type: 'enum',
    values: [
      { value: '55', label: 'NF-e — Nota Fiscal Eletrônica (modelo 55)' },
      { value: '65', label: 'NFC-e — Nota Fiscal de Consumidor Eletrônica (modelo 65)' },
    ],
    default: null,
    ...everywhere,
  },
  '9259': {
    label: 'Série padrão para pedido Omni',
    description:
      'Fiscal series of the electronic invoices of omni orders. An NF-e is refused while it is not set.',
    group: 'fiscal',
    honoured: true,
    type: 'string',
    // NF-e layout 4.00, field serie (TSerie): 0 to 999 without leading zeros.
    pattern: '^(0|[1-9][0-9]{0,2})$',
    patternHint: 'a series from 0 to 999 without leading zeros',
    default: null,
    ...everywhere,
  },
  '9285': {
    label: 'Customer - PDV com integração online',
    description:
      'The POS talks to the hub online: GET /pos/pending-orders lists the pickup orders waiting at the counter (the badge). Off: the list is empty (`online: false`) and the cashier finds an order by its number (pré-venda), which still rescues and finishes it. On by default, as in the seeds.',
    group: 'pos',
    honoured: true,
    type: 'boolean',
    default: true,
    ...everywhere,
  },
  CD_FORMA_PAGTO_OMNI: {
    label: 'Forma de pagamento OmniChannel (por unidade de negócio)',
    description:
      "Payment method recorded for omni orders, per business unit. The seeds register a dedicated 'Omni' payment method with any free code and select it in the general parameters of each business unit; they give no parameter code, this one is Omnihub's.",
    group: 'finance',
    honoured: true,
    ...codeString,
    default: 'OMNI',
    ...everywhere,
  },
  IN_BLOQ_SALDO_NEG: {
    label: 'Bloqueia saldo negativo no aceite do pedido',
    description:
      "On (the seeds' '01'): acceptance needs the store's stock; a shortage is refused (or split, as TP_VALIDA_SLD_ACEITE_PED says). Off: a manager may accept an order short of stock after an explicit confirmation; what is there is reserved and the rest is recorded as the order's shortfall and in its history. Available stock never goes below zero either way.",
    group: 'acceptance',
    honoured: true,
    type: 'boolean',
    default: true,
    ...everywhere,
  },
  TP_VALIDA_SLD_ACEITE_PED: {
    label: 'Validação de saldo no aceite do pedido',
    description:
      "How stock is validated when a store accepts an order. '01' (seeds) validates and offers the split across the group's companies when stock is short. '02' is Omnihub's: validate and refuse the acceptance, so the store rejects part of the order to re-route it. The default is '02' because the split moves goods between companies by fiscal transfers, which a network must opt into.",
    group: 'acceptance',
    honoured: true,
    type: 'enum',
    values: [
      { value: '01', label: 'Valida o saldo e oferece o split quando faltar' },
      { value: '02', label: 'Valida o saldo e recusa o aceite quando faltar (sem split)' },
    ],
    default: '02',
    ...everywhere,
  },
  TP_VISUAL_EMP_PRATELEIRA: {
    label: 'Empresas visíveis na consulta de saldo e frete (prateleira)',
    description:
      'Which companies a store sees in the stock and freight query (the delivery simulation) and may split an order to. The seeds do not list the values; these are Omnihub’s.',
    group: 'endless_aisle',
    honoured: true,
    type: 'enum',
    values: [
      { value: '1', label: 'Somente a própria loja' },
      { value: '2', label: 'Lojas da mesma central' },
      { value: '3', label: 'Todas as lojas da rede' },
    ],
    default: '1',
    ...everywhere,
  },
  TP_UTILIZA_PRATELEIRA: {
    label: 'Utiliza o processo de prateleira infinita',
    description:
      'The company uses the endless-aisle process (selling at the POS what another company ships).',
    group: 'endless_aisle',
    honoured: true,
    type: 'boolean',
    default: false,
    ...everywhere,
  },
  CD_REPRE_PRATELEIRA: {
    label: 'Representante dos pedidos de prateleira',
    description: 'Sales representative code recorded on the header of endless-aisle sales orders.',
    group: 'endless_aisle',
    honoured: true,
    ...codeString,
    default: null,
    ...everywhere,
  },
  CD_MOTIVOBLOQ_PED_PRATELE: {
    label: 'Motivo de bloqueio dos pedidos de prateleira',
    description:
      'Blocking reason with which endless-aisle orders from the POS are created (blocked until accepted).',
    group: 'endless_aisle',
    honoured: true,
    ...codeString,
    default: null,
    ...everywhere,
  },
  CD_MOT_CANC_PED_PRATELEIR: {
    label: 'Motivo de cancelamento dos pedidos de prateleira',
    description: 'Cancellation reason recorded on an endless-aisle order when its transaction is cancelled.',
    group: 'endless_aisle',
    honoured: true,
    ...codeString,
    default: null,
    ...everywhere,
  },
  CD_MOD_VENDA_PRATELEIRA: {
    label: 'Modelo de impressão da venda de prateleira',
    description: 'Print model used for endless-aisle items when the POS sells them.',
    group: 'endless_aisle',
    honoured: true,
    ...codeString,
    default: null,
    ...everywhere,
  },
  TP_DADO_ADIC_BX_PED_ECOMM: {
    label: 'Informar vendedor no faturamento do pedido e-commerce',
    description:
      'Whether a salesperson is asked for when an e-commerce order is invoiced, and whether it is mandatory. The seeds do not list the values; these are Omnihub’s. The salesperson is a user of the order’s store, kept on the order and printed in the NF-e’s infCpl.',
    group: 'fulfilment',
    honoured: true,
    type: 'enum',
    values: [
      { value: '0', label: 'Não pede vendedor' },
      { value: '1', label: 'Pede vendedor (opcional)' },
      { value: '2', label: 'Pede vendedor (obrigatório)' },
    ],
    default: '0',
    ...everywhere,
  },
  TP_EMPRESA_POOL_DIFERENTE: {
    label: 'Permite empresa de pool diferente na experiência',
    description:
      "A delivery experience may enable companies of different pools. Omnihub's pool is the stores of one central (as re-routing and IN_BAIXA_PED_POOL_EMP read it): while off, an experience's companies must all be under one central.",
    group: 'sourcing',
    honoured: true,
    type: 'boolean',
    default: false,
    ...everywhere,
  },
  QT_DIAS_ALERTA_RASTREIO: {
    label: 'Dias de alerta na rastreabilidade',
    description:
      'Days before the expected date from which an order, stock request or transfer still in progress shows yellow in the traceability tree (red once late). The seeds call it the alert days without naming the parameter; the code is Omnihub’s.',
    group: 'sourcing',
    honoured: true,
    type: 'integer',
    min: 0,
    max: 60,
    default: 1,
    ...everywhere,
  },
  DS_FORMA_NOTIFICA_CLIENTE: {
    label: 'Formas de notificação automática ao cliente',
    description:
      "Channels of the automatic customer messages (accepted, ready for pickup, invoiced with the DANFE link, in transit with the tracking link, delivered): email to the order's customer e-mail, whatsapp to the customer's phone (the network's WhatsApp account). The seeds pick the customer's registered e-mail and phone types; an Omnihub order carries one e-mail and one phone, so the value picks the channels. Empty: the customer is not messaged (the store may still use Notificar cliente).",
    group: 'notifications',
    honoured: true,
    type: 'list',
    items: [
      { value: 'email', label: 'E-mail' },
      { value: 'whatsapp', label: 'WhatsApp' },
    ],
    default: ['email', 'whatsapp'],
    ...everywhere,
  },
  TP_IMPRESSAO_TRA_PRATELEI: {
    label: 'Momento de impressão da transação de prateleira',
    description:
      "When the endless-aisle transaction model is printed. The seeds' example uses 1 (after receiving); 0 and 2 are Omnihub's.",
    group: 'endless_aisle',
    honoured: false,
    type: 'enum',
    values: [
      { value: '0', label: 'Não imprime' },
      { value: '1', label: 'Após o recebimento' },
      { value: '2', label: 'Na finalização da venda' },
    ],
    default: '1',
    ...everywhere,
  },
  TP_ENVIO_NFE_AUTOMATIC: {
    label: 'Envio automático da NF-e e impressão fiscal',
    description:
      'Whether the NF-e (model 55) is transmitted to SEFAZ as soon as it is built (1, 3) or waits signed as "Aguardando transmissão" until someone presses "Transmitir" (0, 2); NFC-e are always transmitted at once. 2 and 3 also open the DANFE in the back office when the order\'s NF-e is authorised while the clerk waits (Faturar, or Transmitir, on the order page). The default is 1 because every network invoiced with immediate transmission before this parameter was honoured: a network that sets nothing keeps that behaviour. The seeds\' example companies use 3; the meaning of each value is Omnihub\'s.',
    group: 'fiscal',
    honoured: true,
    type: 'enum',
    values: [
      { value: '0', label: 'Manual' },
      { value: '1', label: 'Transmite a NF-e automaticamente' },
      { value: '2', label: 'Imprime o DANFE automaticamente' },
      { value: '3', label: 'Transmite a NF-e e imprime o DANFE automaticamente' },
    ],
    default: '1',
    ...everywhere,
  },
  QT_DIAS_INUTILIZACAO_AUTO: {
    label: 'Dias para inutilizar numeração automaticamente',
    description:
      'Numbers of a series left without a valid document (no document, or only a rejected one) for this many days are voided at SEFAZ (inutilização, NFeInutilizacao4) by the night job, with a fixed justification; 0 switches it off. The default is 0: voiding cannot be undone, so a network opts in once its stores have seen the gaps on the "Inutilizar numeração" screen. The code is Omnihub’s.',
    group: 'fiscal',
    honoured: true,
    type: 'integer',
    min: 0,
    max: 365,
    default: 0,
    ...everywhere,
  },
  IN_CONTINGENCIA_SVC_AUTO: {
    label: 'Entrar e sair da contingência SVC automaticamente',
    description:
      "When the state's NF-e authoriser is down (a timeout, no connection, an HTTP error, or NFeStatusServico4 answering 108/109), the store enters SVC contingency (tpEmis 6/7, NT 2013.007) by itself and leaves it when the status service answers 107 again. Off: the first such fault raises the alarm and an administrator confirms the contingency in Fiscal → Contingência. Omnihub's own parameter (the seeds have none).",
    group: 'fiscal',
    honoured: true,
    type: 'boolean',
    default: false,
    ...everywhere,
  },
  DS_LST_DTPREV_OMNI: {
    label: 'Prazos da data prevista de faturamento (Omni)',
    description:
      'Days from acceptance to the expected invoicing date, per delivery type, as "pickup:N" / "ship:N" (each type at most once; a missing type means the same day). The seeds compute the date from this list without giving its format; the format is Omnihub’s.',
    group: 'acceptance',
    honoured: true,
    type: 'list',
    pattern: '^(pickup|ship):[0-9]{1,2}$',
    patternHint: '"pickup:N" or "ship:N" with N from 0 to 99 days',
    maxItems: 2,
    check: (value: readonly string[]) => {
      const types = value.map((item) => item.split(':')[0]);
      return new Set(types).size === types.length ? null : 'names a delivery type twice';
    },
    default: ['pickup:0', 'ship:1'],
    ...everywhere,
  },
  TP_IMP_ETIQ_LOGISTICA_PED: {
    label: 'Forma de impressão da etiqueta logística',
    description:
      "Copies of the logistic label and whether labels of several orders share a page or break page between orders. The seeds show values 2 and 4 without a table; this mapping is Omnihub's.",
    group: 'fulfilment',
    honoured: true,
    type: 'enum',
    values: [
      { value: '1', label: 'Uma cópia, etiquetas na mesma página' },
      { value: '2', label: 'Uma cópia, quebra de página entre pedidos' },
      { value: '3', label: 'Duas cópias, etiquetas na mesma página' },
      { value: '4', label: 'Duas cópias, quebra de página entre pedidos' },
    ],
    default: '1',
    ...everywhere,
  },
  DS_LST_TRANSPORT_OMNI: {
    label: 'Transportadoras que não informam o status "Em transporte"',
    description:
      "Carriers (codes) that do not report 'in transit' themselves: for their ship-from-store orders the store sets it by hand, after invoicing.",
    group: 'fulfilment',
    honoured: true,
    type: 'list',
    pattern: '^[A-Z0-9_]{1,20}$',
    patternHint: 'a carrier code of 1 to 20 uppercase letters, digits or "_"',
    maxItems: 50,
    default: [],
    ...everywhere,
  },
  IN_MANTER_SALD_ADIAN: {
    label: 'Mantém o saldo de adiantamento no cancelamento',
    description:
      "When an accepted order is cancelled (before invoicing, or its invoice cancelled inside the NF-e cancellation window): on, the advance stays as the customer's credit (refunded later by POST /orders/{id}/refunds); off, it is released to the payers (the purchase's receivables are reduced).",
    group: 'finance',
    honoured: true,
    type: 'boolean',
    default: false,
    ...everywhere,
  },
  IN_GERA_CRT_MKTPLACE_OMNI: {
    label: 'Gera fatura de marketplace como cartão de crédito',
    description:
      'Marketplace payments create their receivable as a credit card one, for networks that handle marketplace finance as card.',
    group: 'finance',
    honoured: true,
    type: 'boolean',
    default: false,
    ...everywhere,
  },
  TP_CONF_ACEITE_PED: {
    label: 'Forma de conferência do pedido',
    description:
      "How an order's items are checked (seeds 003, Conferência). 0: scan conference while picking, required: one count per order, finished when every unit is counted; finishing makes a pickup order ready for pickup and lets a ship order be invoiced, and neither moves on before. 1 (seeds: the scan flow does not apply): the acceptance confirms the items, with no scan count; the scan endpoints answer 409. 2: the scan conference is optional (counted if the store scans, the order may move on without it). The seeds name value 1 only; 0 and 2 are Omnihub's.",
    group: 'fulfilment',
    honoured: true,
    type: 'enum',
    values: [
      { value: '0', label: 'Conferência por leitura (bipagem) obrigatória na separação' },
      { value: '1', label: 'Conferência no aceite, sem leitura item a item' },
      { value: '2', label: 'Conferência por leitura opcional' },
    ],
    default: '0',
    ...everywhere,
  },
  IN_BAIXA_PED_POOL_EMP: {
    label: 'Aceite por outra empresa do pool',
    description:
      'Another company of the pool may accept the order; the receivables and advance are then created in the accepting company.',
    group: 'finance',
    honoured: true,
    type: 'boolean',
    default: false,
    ...everywhere,
  },
  CD_EMAIL_ENVPRATELEIRAPDV: {
    label: 'E-mail que avisa as lojas de novos pedidos e solicitações de estoque',
    description:
      "(Corporate) Where a store is e-mailed when a new order or a stock request of a split arrives (the store_new_order and store_stock_request messages of the Caixa de saída). The seeds name an e-mail type of the store's contacts; an Omnihub store registers one e-mail, so LOJA (default) sends to it and NAO_ENVIA records the message as not sent. A store without an e-mail gets a not-sent message saying so.",
    group: 'notifications',
    honoured: true,
    type: 'enum',
    values: [
      { value: 'LOJA', label: 'E-mail cadastrado da loja' },
      { value: 'NAO_ENVIA', label: 'Não avisa por e-mail' },
    ],
    default: 'LOJA',
    scope: ['network'],
    public: false,
  },
  CD_LOGOTIPO_EMP: {
    label: 'Logotipo da empresa na etiqueta logística',
    description:
      "The company's logo printed on the logistic label: an http(s) image URL (PNG or JPEG, fetched with a short timeout, at most 512 KB) or a data:image/png|jpeg;base64 URL. Unset, or an image that cannot be read: the label prints without it.",
    group: 'fulfilment',
    honoured: true,
    type: 'url',
    imageData: true,
    default: null,
    ...everywhere,
  },
  CD_TIPOCLAS_OMNI: {
    label: 'Classificação dos pedidos Omni',
    description:
      'Classification that marks an order as coming from the omni hub: stamped on each order when it arrives, and acceptance takes only orders carrying the value in force.',
    group: 'hub',
    honoured: true,
    ...codeString,
    default: 'OMNI',
    scope: ['network'],
    public: false,
  },
} as const satisfies Record<string, Definition>;
