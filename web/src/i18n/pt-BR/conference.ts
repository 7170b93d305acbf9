/** The scan conference screen (seeds 003, Conferência). */
export const conference = {
  title: 'Conferência do pedido Nº {{number}}',
  open: 'Conferir itens',
  back: 'Voltar ao pedido',
  loading: 'Carregando a conferência…',
  progress: '{{counted}} de {{expected}} unidades conferidas',
  statuses: {
    not_started: 'Não iniciada',
    counting: 'Em contagem',
    finished: 'Finalizada',
  },
  modes: {
    scan_required: 'Conferência por leitura obrigatória (TP_CONF_ACEITE_PED = 0).',
    at_acceptance:
      'Esta loja confere os itens no aceite (TP_CONF_ACEITE_PED = 1): não há leitura item a item.',
    scan_optional: 'Conferência por leitura opcional (TP_CONF_ACEITE_PED = 2).',
  },
  scan: {
    label: 'Código de barras (EAN) ou SKU',
    hint: 'Leia o código com o leitor ou digite e tecle Enter. O campo continua pronto para a próxima leitura.',
    quantity: 'Quantidade',
    submit: 'Contar',
    counted: '+{{quantity}} {{sku}} · {{description}} ({{counted}}/{{expected}})',
  },
  lines: {
    caption: 'Itens do pedido: conferido / pedido',
    sku: 'SKU',
    ean: 'EAN',
    description: 'Descrição',
    counted: 'Conferido',
    complete: 'Completo',
    missing: 'Faltam {{count}}',
  },
  started: 'Iniciada por {{name}} em {{at}}',
  finishedBy: 'Finalizada por {{name}} em {{at}}',
  finishedAtAcceptance: 'Itens conferidos no aceite em {{at}}',
  finish: {
    action: 'Finalizar conferência',
    incomplete: 'Conte todas as unidades para finalizar.',
    donePickup: 'Conferência finalizada. Pedido Nº {{number}} disponível para retirada.',
    doneShip: 'Conferência finalizada. O pedido Nº {{number}} já pode ser faturado.',
  },
  restart: {
    action: 'Reiniciar conferência',
    title: 'Reiniciar a conferência',
    message:
      'A contagem do pedido Nº {{number}} será descartada e a próxima leitura começa uma nova. O motivo fica no histórico do pedido.',
    reason: 'Motivo',
    done: 'Conferência reiniciada.',
  },
  notPicking: 'O pedido está “{{status}}”: a conferência é feita durante a separação.',
  errors: {
    'CONFERENCE.NOT_IN_ORDER': 'O código {{code}} não é de um item deste pedido. Nada foi contado.',
    'CONFERENCE.OVER_QUANTITY':
      '{{sku}}: {{counted}} de {{expected}} já conferidas; não cabem mais {{quantity}}. Nada foi contado.',
    'CONFERENCE.NOT_IN_PICKING': 'O pedido não está em separação: não há o que conferir agora.',
    'CONFERENCE.ALREADY_FINISHED': 'A conferência deste pedido já foi finalizada.',
    'CONFERENCE.AT_ACCEPTANCE': 'Esta loja confere os itens no aceite: não há leitura item a item.',
    'CONFERENCE.INCOMPLETE': 'Ainda há unidades a conferir.',
    'CONFERENCE.MOVED_ON': 'O pedido já seguiu adiante: a conferência não pode mais ser reiniciada.',
    'CONFERENCE.NOT_STARTED': 'Nada foi contado ainda.',
    'CONFERENCE.REASON_REQUIRED': 'Informe o motivo.',
    'CONFERENCE.CODE_REQUIRED': 'Leia ou digite um código.',
  },
};
