/** NFC-e contingency: the alarm of the documents issued offline, and the switch of the simulated SEFAZ. */
export const fiscal = {
  contingency: {
    label: 'NFC-e em contingência',
    summary_one: '{{count}} NFC-e emitida em contingência aguarda transmissão à SEFAZ',
    summary_other: '{{count}} NFC-e emitidas em contingência aguardam transmissão à SEFAZ',
    deadline: 'prazo mais próximo: {{at}}',
    levels: {
      ok: 'No prazo (24 h após a emissão)',
      warning: 'Menos de 6 h para o fim do prazo de transmissão',
      overdue: 'Prazo de transmissão (24 h) vencido',
      rejected:
        'A SEFAZ rejeitou uma NFC-e emitida em contingência: a venda vale, a loja precisa regularizar',
    },
    show: 'Ver notas',
    hide: 'Ocultar notas',
    item: 'NFC-e Nº {{number}} · Série {{series}} · loja {{store}}',
    transmitBy: 'transmitir até {{at}}',
    rejection: 'rejeição {{code}}: {{reason}}',
    lastError: 'Última tentativa de transmissão: sem comunicação com a SEFAZ (nova tentativa automática)',
    order: 'Abrir o pedido',
    badge: 'Contingência',
  },
  simulator: {
    title: 'SEFAZ simulada',
    hint: 'O autorizador da demonstração. Indisponível, ele recusa toda conexão: o PDV emite a NFC-e em contingência off-line e a nota é transmitida quando a SEFAZ voltar.',
    label: 'SEFAZ simulada disponível',
    on: 'SEFAZ simulado: disponível',
    off: 'SEFAZ simulado: indisponível',
    readOnly: 'Somente o administrador da rede liga ou desliga a SEFAZ simulada.',
    changedAt: 'Alterada em {{at}}',
    switchedOn: 'SEFAZ simulada disponível: as notas em contingência estão sendo transmitidas.',
    switchedOff: 'SEFAZ simulada indisponível: as NFC-e serão emitidas em contingência.',
  },
};
