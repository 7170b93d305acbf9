/** Logistic labels and the content declaration (etiqueta logística, declaração de conteúdo). */
export const labels = {
  print: 'Imprimir etiquetas',
  thermal: 'Etiquetas térmicas 10×15 cm ({{count}})',
  a4: 'Etiquetas em folha A4, 4 por folha ({{count}})',
  noShip: 'Nenhum pedido selecionado é de envio: a etiqueta logística é só para pedidos enviados pela loja.',
  pickupSkipped_one: '{{count}} pedido de retirada fica de fora.',
  pickupSkipped_other: '{{count}} pedidos de retirada ficam de fora.',
  tooMany: 'Selecione no máximo {{max}} pedidos para imprimir etiquetas.',
  opening: 'Gerando as etiquetas…',
  label: 'Etiqueta',
  labelA4: 'Etiqueta (A4)',
  noTracking: 'A etiqueta é impressa quando o pedido tiver o código de rastreio da transportadora.',
  notPrintable: 'Não foi possível imprimir: {{orders}}. Retire esses pedidos da seleção e tente de novo.',
  reasons: {
    'ORDER.NO_TRACKING_CODE': 'pedido {{number}} sem código de rastreio',
    'ORDER.NOT_SHIP': 'pedido {{number}} é de retirada',
  },
  declaration: 'Declaração de conteúdo',
  declarationOf: 'Declaração de conteúdo da solicitação do pedido {{number}} (loja {{store}})',
  errors: {
    'ORDER.NO_TRACKING_CODE':
      'Este pedido ainda não tem código de rastreio: informe o rastreio para imprimir a etiqueta.',
    'ORDER.NOT_SHIP': 'Pedidos de retirada na loja não têm etiqueta logística.',
    'FULFILMENT.BATCH_SIZE': 'Selecione entre 1 e 100 pedidos.',
    'SPLIT.REQUEST_NOT_SENDING':
      'A declaração de conteúdo é impressa depois que a solicitação é aceita, e não para solicitações recusadas ou canceladas.',
    'SPLIT.NOT_YOUR_SIDE': 'Só a empresa que envia as mercadorias imprime a declaração de conteúdo.',
  },
} as const;
