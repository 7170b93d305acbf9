/** Financeiro: the order's money (seed 003 Financeiro), receivables, the daily closing and payment methods. */
export const finance = {
  nav: {
    group: 'Financeiro',
    groupLabel: 'Menu Financeiro',
    receivables: 'Contas a receber',
    closing: 'Fechamento diário',
    paymentMethods: 'Formas de pagamento',
  },
  receivables: {
    title: 'Contas a receber',
  },
  closing: {
    title: 'Fechamento diário',
  },
  paymentMethods: {
    title: 'Formas de pagamento',
  },
  order: {
    title: 'Financeiro',
  },
};
