import type { InterfaceDirection, InterfaceMethod } from './domain.ts';

/**
 * The interface catalogue every network starts with (seed 000 §5.3, the `InterfaceIntegracao` rows of the
 * Boticário networks): code, name, satellite system, direction, method and schedule as the seed lists them.
 * "(Inativa)" rows start inactive; rows without a period ("sob demanda", APIs the satellite calls) have no
 * schedule and run only when asked. None has an adapter: the vendor systems are not built into Omnihub, and
 * an admin binds one to a generic adapter (HTTP JSON, file drop, NATS) to make it work. Pure data.
 */
export interface CatalogueEntry {
  code: number;
  name: string;
  system: string;
  direction: InterfaceDirection;
  method: InterfaceMethod;
  scheduleMinutes: number | null;
  active: boolean;
}

type Row = [
  code: number,
  name: string,
  direction: InterfaceDirection,
  minutes: number | null,
  active?: false,
];

/** A system reached over REST is polled for what comes in and pushed to for what goes out. */
const group = (system: string, method: InterfaceMethod, rows: Row[]): CatalogueEntry[] =>
  rows.map(([code, name, direction, scheduleMinutes, active]) => ({
    code,
    name,
    system,
    direction,
    method: method === 'rest_pull' && direction === 'out' ? 'rest_push' : method,
    scheduleMinutes,
    active: active ?? true,
  }));

export const interfaceCatalogue: readonly CatalogueEntry[] = [
  ...group('Retail App', 'rest_push', [
    [10001, 'Venda', 'out', null],
    [10002, 'Pagamento', 'out', null],
    [10003, 'Estoque', 'out', null],
    [10004, 'Operadores', 'out', null],
  ]),
  ...group('Loja Associação', 'rest_pull', [
    [900, 'Produto', 'out', null, false],
    [901, 'Preço', 'out', null, false],
    [902, 'Cliente', 'in', null, false],
    [903, 'Pré-Venda', 'in', null, false],
    [904, 'Situação Pré-Venda', 'out', null, false],
    [905, 'Estoque', 'out', null, false],
  ]),
  ...group('Hana', 'rest_push', [
    [1100, 'Cupom', 'out', 1],
    [1101, 'Vendas SellOut', 'out', 1],
    [1102, 'Cancelamento Vendas SellOut', 'out', 1],
    [1103, 'Devolução Vendas SellOut', 'out', 1],
    [1110, 'Cancelamento', 'out', 1],
    [1120, 'Devolução', 'out', 1],
    [1130, 'Cancelamento Devolução', 'out', 1],
    [1140, 'GiftCard', 'out', 1],
    [1150, 'Redução Z', 'out', 2],
    [1160, 'Reprocessamento', 'out', 2],
    [1170, 'NFCe', 'out', 2],
    [1180, 'Autorização', 'out', null, false],
    [1190, 'Fechamento', 'out', null, false],
  ]),
  ...group('NeoGrid', 'file_drop', [[4000, 'Gerar, processa e Consulta Ticket', 'out', 10]]),
  ...group('Gera', 'rest_pull', [
    [1398, 'Nota Fiscal Recebimento', 'in', 1],
    [1399, 'Nota Fiscal Envio Status', 'out', 1],
    [1400, 'Nota Fiscal Processamento', 'in', 1],
    [1401, 'Cancelamento Nota Fiscal Processamento', 'in', 2],
    [1402, 'Processamento Títulos Financeiros', 'out', 5],
    [1403, 'Cancelamento Nota Fiscal Recebimento', 'in', 2],
    [1404, 'Cancelamento Nota Fiscal Envio Status', 'out', 2],
    [1405, 'Impostos Produtos', 'in', 2],
    [1500, 'Estoque', 'in', 2],
    [1501, 'Inventário', 'in', 2],
    [1502, 'Reprocessamento Estoque', 'in', 2],
    [1503, 'Reprocessamento Inventário', 'in', 2],
  ]),
  ...group('SAP', 'rest_pull', [
    [100, 'Inclusão Pedido', 'out', 2],
    [101, 'Alteração Pedido', 'out', 2],
    [102, 'Cancelamento Pedido', 'out', 10],
    [103, 'Posição Ordem Venda Pedido', 'in', 10],
    [104, 'Restrição de Produtos para Pedido', 'in', 60],
    [200, 'Produto e envio de Loja e Produto ao TVFR Fidelidade', 'out', 60],
    [300, 'Preço', 'in', 30],
    [400, 'Recebe Franquias - Lojas', 'in', 120],
    [500, 'Receber Distribuidores', 'in', 360],
    [600, 'Enviar Inclusão Programações Condições Pagamento Pedido', 'out', 10],
    [601, 'Receber Condições Pagamento', 'in', 30],
  ]),
  ...group('Botiweb', 'rest_pull', [[402, 'Usuários', 'in', null]]),
  ...group('IDEA', 'rest_pull', [
    [403, 'Consulta Usuário IDEA', 'in', null],
    [404, 'Inserir Usuário IDEA', 'out', null],
    [405, 'Alterar Usuário IDEA', 'out', null],
    [406, 'Consulta Lista Usuário IDEA', 'in', null],
    [407, 'Consulta Lista Domínios IDEA', 'in', null],
    [408, 'Alterar Campos Usuário IDEA', 'out', null],
  ]),
  ...group('Estoque', 'file_drop', [
    [4002, 'Receber Estoque para inventário', 'in', null],
    [4003, 'Processar Estoque para inventário', 'in', 10],
  ]),
  ...group('Estoque', 'webhook', [[4004, 'API Consulta Saldo do Estoque de determinada Loja', 'in', null]]),
];
