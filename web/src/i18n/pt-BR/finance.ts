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
  cancellation: {
    action: 'Cancelar pedido',
    title: 'Cancelar o pedido {{number}}',
    cancelMessage:
      'A {{model}} do pedido será cancelada na SEFAZ e o pedido ficará cancelado, com os itens de volta ao estoque. O adiantamento do cliente é mantido como crédito ou liberado ao pagador conforme o parâmetro IN_MANTER_SALD_ADIAN.',
    windowOpen: 'O prazo de cancelamento da {{model}} está aberto até {{at}}.',
    reverseMessage:
      'A {{model}} não pode mais ser cancelada: a venda será estornada por uma NF-e de devolução de tudo o que ainda não voltou, os itens voltam ao estoque e o valor fica como crédito do cliente. O pedido continua faturado.',
    windowClosed: 'O prazo de cancelamento da {{model}} terminou em {{at}}.',
    goodsLeft: 'Os itens já saíram da loja: a venda é desfeita por devolução, não por cancelamento.',
    reason: 'Motivo (de 15 a 255 caracteres; vai para a SEFAZ)',
    confirmCancel: 'Cancelar nota e pedido',
    confirmReverse: 'Estornar com NF-e de devolução',
    cancelled: 'A {{model}} e o pedido foram cancelados.',
    pending: 'O cancelamento da {{model}} foi enviado à SEFAZ; o pedido muda quando ela responder.',
    reversed: 'Venda estornada por NF-e de devolução. Crédito de {{amount}} ao cliente.',
  },
  refund: {
    title: 'Registrar reembolso',
    credit: 'Crédito do cliente: {{amount}}',
    method: 'Forma do reembolso',
    methods: {
      cash: 'Dinheiro',
      pix: 'Pix',
      card_reversal: 'Estorno no cartão',
      store_credit: 'Vale-crédito',
    },
    amount: 'Valor (R$)',
    amountHint: 'Até {{max}}.',
    note: 'Observação (opcional)',
    submit: 'Registrar reembolso',
    confirmTitle: 'Confirmar reembolso',
    confirmMessage: 'Reembolsar {{amount}} ao cliente por {{method}}? O lançamento não pode ser desfeito.',
    confirm: 'Reembolsar',
    back: 'Voltar',
    done: 'Reembolso de {{amount}} registrado.',
    invalidAmount: 'Informe um valor maior que zero e até o crédito do cliente, como 129,90.',
  },
  errors: {
    'FINANCE.REFUND_ABOVE_CREDIT': 'O valor passa do crédito do cliente neste pedido.',
    'FINANCE.CHARGEBACK_ABOVE_RECEIVABLE':
      'O estorno no cartão passa do que ainda está em aberto nas faturas: reembolse o restante de outra forma.',
    'FINANCE.NOT_REFUNDER': 'Só gerentes e administradores registram reembolsos.',
    'RETURN.IN_TRANSIT':
      'Os itens estão a caminho do cliente: registre a devolução quando eles voltarem à loja.',
    'RETURN.NOTHING_LEFT': 'Tudo o que foi vendido neste pedido já foi devolvido.',
    'ORDER.NO_SALE_DOCUMENT': 'O pedido não tem NF-e ou NFC-e autorizada.',
    'ORDER.NOT_INVOICED': 'Só um pedido faturado ou entregue é cancelado aqui.',
    'ORDER.NOT_CANCELLER': 'Só gerentes e administradores cancelam um pedido faturado.',
    'ORDER.CANCELLATION_REASON_INVALID': 'Escreva o motivo com 15 a 255 caracteres.',
    'FISCAL.CANCELLATION_REJECTED': 'A SEFAZ recusou o cancelamento; a nota continua autorizada.',
  },
};
