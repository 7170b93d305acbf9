/** The split (seeds: PEDFP144), the stock requests between companies and the order's traceability (TRAFC038). */
export const split = {
  /** The order's action that opens the split screen (the edge to "Aguardando estoque"). */
  action: {
    action: 'Split do pedido',
    title: 'Solicitar estoque a outras empresas',
    message: 'Solicitar a outras empresas do grupo o estoque que falta para o pedido Nº {{number}}.',
    done: 'Pedido Nº {{number}} aguardando estoque.',
  },
  makeSplit: 'Fazer split',

  screen: {
    title: 'Split do pedido Nº {{number}}',
    intro:
      'Solicite a outras empresas do grupo o estoque que falta. Cada empresa recebe uma solicitação de estoque, fatura a transferência para a loja e, quando todas chegarem, o pedido volta para “Em aberto”.',
    back: 'Voltar ao pedido',
    loading: 'Carregando as empresas com estoque…',
    strategy: 'Proposta automática: as quantidades já vêm preenchidas pelo roteador; ajuste se precisar.',
    restore: 'Restaurar proposta',
    restored: 'Proposta automática restaurada.',
    notOpen: 'Só pedidos em aberto podem ser divididos. Este pedido está “{{status}}”.',
    nothingPending: 'Nada pendente',
    nothingPendingDetail:
      'Todos os itens deste pedido já estão na loja ou solicitados a outras empresas. Não há o que dividir.',
    noCompanies: 'Nenhuma empresa do grupo tem este item disponível.',
    line: '{{sku}} — {{description}}',
    columns: {
      requested: 'Solicitado',
      held: 'Na loja',
      allocated: 'Alocado',
      pending: 'Pendente',
    },
    companies: {
      caption: 'Empresas com estoque de {{sku}}',
      company: 'Empresa',
      available: 'Disponível',
      distance: 'Distância',
      quantity: 'Quantidade a solicitar',
      quantityOf: 'Quantidade de {{sku}} da empresa {{store}}',
      main: 'esta loja',
      mainNote: 'Reservado na própria loja, sem solicitação.',
      km: '{{km}} km',
      noDistance: '—',
    },
    totals: 'Pendente {{pending}} → alocado {{allocated}}',
    totalsLeft: 'Pendente {{pending}} → alocado {{allocated}} · faltam {{left}}',
    summary: 'Total: pendente {{pending}} → alocado {{allocated}}',
    problems: {
      notNumber: 'Informe um número inteiro.',
      overAvailable: 'No máximo {{available}} (disponível nesta empresa).',
      overPending: 'Alocado {{allocated}}, mas só {{pending}} pendente.',
      refusedQuantity: 'Quantidade não aceita para esta empresa.',
      refusedStore: 'Esta empresa não pode atender este pedido.',
      refusedSku: 'Este item não é do pedido.',
    },
    confirm: 'Confirmar split',
    fixFirst: 'Corrija as quantidades destacadas antes de confirmar.',
    nothingAllocated: 'Informe a quantidade a solicitar a pelo menos uma empresa.',
    dialog: {
      title: 'Confirmar split',
      message_one:
        'Será criada {{count}} solicitação de estoque e o pedido Nº {{number}} ficará “Aguardando estoque”:',
      message_other:
        'Serão criadas {{count}} solicitações de estoque e o pedido Nº {{number}} ficará “Aguardando estoque”:',
      request: 'Empresa {{store}}: {{lines}}',
      item: '{{sku}} × {{quantity}}',
      main: 'Reservado na própria loja: {{lines}}',
      confirm: 'Confirmar split',
    },
    done_one:
      'Split confirmado: {{count}} solicitação de estoque enviada. O pedido Nº {{number}} aguarda estoque.',
    done_other:
      'Split confirmado: {{count}} solicitações de estoque enviadas. O pedido Nº {{number}} aguarda estoque.',
    stockChanged:
      'O estoque das empresas mudou enquanto você montava o split. As quantidades foram recarregadas: confira e confirme de novo.',
    refusedLines: 'Confira as quantidades destacadas.',
  },

  statuses: {
    requested: 'Solicitado (bloqueado)',
    accepted: 'Aceito',
    invoicing: 'Faturando transferência',
    in_transit: 'Em trânsito',
    received: 'Recebido',
    rejected: 'Recusado',
    cancelled: 'Cancelado',
  },

  requests: {
    nav: 'Solicitações de estoque',
    waiting_one: '{{count}} solicitação aguardando sua loja',
    waiting_other: '{{count}} solicitações aguardando sua loja',
    title: 'Solicitações de estoque',
    intro:
      'Pedidos de prateleira entre as empresas do grupo: aceite e fature as transferências que pedem à sua loja, e receba as que sua loja pediu.',
    tabs: {
      label: 'Lado da solicitação',
      received: 'Recebidas',
      sent: 'Enviadas / a receber',
    },
    tabIntro: {
      received: 'Outras lojas pedem estoque à sua: aceite ou recuse, e fature a transferência.',
      sent: 'Estoque que sua loja pediu a outras empresas para os seus pedidos: receba quando chegar.',
    },
    status: 'Situação',
    allStatuses: 'Todas',
    loading: 'Carregando solicitações…',
    empty: {
      received: 'Nenhuma solicitação de estoque recebida com esta situação.',
      sent: 'Nenhuma solicitação de estoque enviada com esta situação.',
    },
    section: 'Solicitações de estoque',
    sectionEmpty: 'Este pedido não tem solicitações de estoque.',
    columns: {
      order: 'Pedido',
      support: 'Empresa de apoio',
      main: 'Loja principal',
      items: 'Itens',
      status: 'Situação',
      expectedAt: 'Previsão',
      createdAt: 'Solicitada em',
      transfer: 'NF-e de transferência',
      actions: 'Ações',
    },
    order: 'Nº {{number}}',
    store: '{{code}} · {{name}}',
    storeCode: 'Loja {{code}}',
    item: '{{sku}} × {{quantity}}',
    blocked: 'Bloqueio: {{reason}}',
    rejected: 'Motivo da recusa: {{reason}}',
    receivedAt: 'Recebida em {{at}} (CFOP {{cfop}})',
    noTransfer: '—',
    danfe: 'DANFE',
    danfeOf: 'Abrir o DANFE da transferência do pedido Nº {{number}} da loja {{store}}',
    accept: 'Aceitar',
    reject: 'Recusar',
    invoice: 'Faturar transferência',
    receive: 'Receber transferência',
    actionOf: '{{action}} — pedido Nº {{number}}, loja {{store}}',
    acceptDialog: {
      title: 'Aceitar solicitação de estoque',
      message:
        'Aceitar a solicitação do pedido Nº {{number}} (loja {{main}})? Ela é desbloqueada e os itens seguem reservados para a transferência: {{items}}.',
      confirm: 'Aceitar',
      done: 'Solicitação do pedido Nº {{number}} aceita. Fature a transferência para enviar os itens.',
    },
    rejectDialog: {
      title: 'Recusar solicitação de estoque',
      message:
        'Recusar a solicitação do pedido Nº {{number}} (loja {{main}})? Os itens voltam a ficar disponíveis na sua loja e a quantidade volta a ficar pendente no pedido.',
      reason: 'Motivo da recusa',
      confirm: 'Recusar',
      done: 'Solicitação do pedido Nº {{number}} recusada.',
    },
    invoiceDialog: {
      title: 'Faturar transferência',
      message:
        'Atenção: esta opção irá gerar a NF-e de transferência para a loja {{main}} (pedido Nº {{number}}: {{items}}). Deseja continuar?',
      confirm: 'Sim, faturar transferência',
      authorised: 'Transferência do pedido Nº {{number}} faturada: NF-e autorizada, itens em trânsito.',
      sending: 'NF-e de transferência do pedido Nº {{number}} enviada à SEFAZ; aguardando a autorização.',
      rejected: 'A SEFAZ rejeitou a NF-e de transferência do pedido Nº {{number}}.',
      rejection: 'Rejeição {{code}}: {{reason}}',
      rejectedNote: 'A solicitação voltou para “Aceito”: corrija e fature de novo.',
    },
    receiveDialog: {
      title: 'Receber transferência',
      message:
        'Confirmar o recebimento da transferência da loja {{support}} para o pedido Nº {{number}} ({{items}})? Os itens entram no estoque da loja, reservados para o pedido.',
      confirm: 'Receber transferência',
      done: 'Transferência da loja {{support}} recebida para o pedido Nº {{number}}.',
    },
    refused: 'Solicitação do pedido Nº {{number}}: {{message}}',
  },

  trace: {
    link: 'Rastreabilidade',
    title: 'Rastreabilidade: {{label}}',
    intro:
      'O pedido, as solicitações de estoque do split, as transferências e as notas fiscais, com estágio e prazos.',
    back: 'Voltar ao pedido',
    loading: 'Carregando a rastreabilidade…',
    missing: 'A rastreabilidade deste pedido não está disponível.',
    expandAll: 'Expandir tudo',
    collapseAll: 'Recolher tudo',
    expand: 'Expandir {{label}}',
    collapse: 'Recolher {{label}}',
    kinds: {
      order: 'Pedido',
      stock_request: 'Solicitação de estoque',
      transfer_invoice: 'NF-e de transferência',
      invoice: 'NF-e de venda',
    },
    columns: {
      document: 'Documento',
      store: 'Empresa',
      stage: 'Estágio',
      createdAt: 'Dt. criação',
      expectedAt: 'Prev. entrega',
      alert: 'Alerta',
      days: 'Dias em andamento',
      invoicedAt: 'Dt. faturado',
      requested: 'Qt. solicitada',
      invoiced: 'Qt. faturada',
      pending: 'Qt. pendente',
    },
    alerts: {
      green: 'Verde: dentro do prazo',
      yellow: 'Amarelo: prazo próximo do vencimento',
      red: 'Vermelho: prazo vencido',
      none: 'Sem cor: concluído',
    },
    legend: 'Legenda do alerta',
    none: '—',
  },

  /** Refusing lines at acceptance: they leave the order and become a new order at another company. */
  reroute: {
    action: 'Recusar itens (reencaminhar)',
    title: 'Recusar itens do pedido Nº {{number}}',
    intro:
      'Os itens recusados saem deste pedido e são reencaminhados como um novo pedido para outra empresa do grupo.',
    loading: 'Carregando os itens e as empresas com estoque…',
    caption: 'Itens do pedido e quantidade a recusar',
    columns: {
      sku: 'SKU',
      description: 'Descrição',
      pending: 'Pendente',
      refuse: 'Quantidade a recusar',
    },
    quantityOf: 'Quantidade de {{sku}} a recusar',
    company: 'Empresa que receberá os itens',
    automatic: 'Escolha automática (mais próxima com estoque)',
    companyOption: '{{code}} · {{name}} ({{distance}})',
    km: '{{km}} km',
    noDistance: 'distância desconhecida',
    noCompanies: 'Nenhuma empresa do grupo tem estoque de todos os itens escolhidos.',
    reason: 'Motivo da recusa',
    allRefused: 'O pedido será cancelado e todos os itens reencaminhados',
    confirm: 'Recusar e reencaminhar',
    problems: {
      notNumber: 'Informe um número inteiro de 0 a {{pending}}.',
      overPending: 'No máximo {{pending}} (pendente).',
      refusedSku: 'Este item não é do pedido.',
      nothingChosen: 'Informe a quantidade a recusar em pelo menos um item.',
      reason: 'Informe o motivo da recusa (pelo menos 3 caracteres).',
      storeRefused: 'Esta empresa não pode receber este pedido.',
      storeLacks: 'Esta empresa não tem estoque de todos os itens recusados.',
      fixFirst: 'Corrija os campos destacados.',
    },
    done: 'Itens reencaminhados para a loja {{store}} como o pedido Nº {{number}}.',
    doneCancelled:
      'Itens reencaminhados para a loja {{store}} como o pedido Nº {{number}}. O pedido Nº {{original}} foi cancelado.',
    openNew: 'Abrir o pedido Nº {{number}}',
    refused: 'Itens do pedido Nº {{number}} não reencaminhados: {{message}}',
    from: 'Reencaminhado do pedido',
    fromNumber: 'Nº {{number}}',
    fromHidden: 'um pedido de outra loja',
    errors: {
      'SPLIT.INVALID_REROUTE': 'Os itens não podem ser reencaminhados assim: confira os campos destacados.',
      'SPLIT.REASON_REQUIRED': 'Informe o motivo da recusa (pelo menos 3 caracteres).',
      'SPLIT.NO_COMPANY':
        'Nenhuma empresa do grupo consegue enviar todos os itens recusados. Recuse menos itens ou faça o split do pedido.',
      'SPLIT.POOL_DISABLED':
        'Esta loja não permite que outras empresas do grupo assumam seus pedidos (parâmetro IN_BAIXA_PED_POOL_EMP). Faça o split do pedido.',
      'ORDER.TRANSITION_NOT_ALLOWED':
        'O pedido não está mais em aberto: os itens não podem ser recusados agora.',
      'ORDER.REROUTE_SAME_STORE': 'Escolha outra empresa: os itens não podem voltar para a mesma loja.',
    },
  },

  errors: {
    'SPLIT.INVALID_ALLOCATION': 'As quantidades não podem ser solicitadas: confira as destacadas.',
    'SPLIT.NOTHING_TO_REQUEST':
      'Tudo foi alocado na própria loja: não há o que solicitar a outras empresas. Aceite o pedido em vez de dividi-lo.',
    'SPLIT.STOCK_CHANGED': 'O estoque das empresas mudou enquanto você montava o split.',
    'SPLIT.NOT_ENABLED':
      'Esta loja não divide pedidos entre as empresas do grupo (parâmetro TP_VALIDA_SLD_ACEITE_PED diferente de 01).',
    'SPLIT.NOT_YOUR_SIDE': 'Esta ação cabe à outra loja da solicitação.',
    'SPLIT.REQUEST_TRANSITION_NOT_ALLOWED':
      'A solicitação já mudou de situação. A lista foi atualizada: confira e tente de novo.',
    'SPLIT.ORDER_CANCELLED': 'O pedido foi cancelado: esta solicitação foi encerrada.',
    'SPLIT.REQUEST_NOT_FOUND': 'Solicitação não encontrada, ou ela não envolve uma loja sua.',
    'SPLIT.REASON_REQUIRED': 'Informe o motivo da recusa.',
    'ORDER.TRANSITION_NOT_ALLOWED': 'Este pedido não está mais em aberto: não pode ser dividido agora.',
  },
};
