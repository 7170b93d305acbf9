/** The POS screens (pairing today; the counter comes later). */
export const pos = {
  pair: {
    title: 'Parear este PDV',
    intro: 'Digite o código de pareamento mostrado na retaguarda, em "Chaves de API".',
    code: 'Código de pareamento',
    codeHint: '8 letras e números, com ou sem o traço (ex.: ABCD-EF23).',
    submit: 'Parear',
    submitting: 'Pareando…',
    paired: 'PDV pareado com a loja {{storeCode}} — {{name}}',
    store: 'Loja: {{name}}',
    keyKept: 'A chave do PDV ficou guardada neste computador.',
    already: 'Este PDV já está pareado. Parear de novo troca a chave guardada neste computador.',
    errors: {
      invalid: 'Código inválido, já usado ou expirado. Peça um novo código na retaguarda.',
      empty: 'Digite o código de pareamento.',
      tooMany: 'Muitas tentativas. Aguarde um minuto e tente de novo.',
      network: 'Sem conexão com o Omnihub. Verifique a rede e tente de novo.',
      generic: 'Não foi possível parear agora. Tente de novo em instantes.',
    },
  },
};
