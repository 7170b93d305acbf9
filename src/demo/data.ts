import type { CreateNode, NodeFields } from '../network/service.ts';

/** The demo network promised to outside clients: DEMO → SUL → stores 11 (São Paulo), 8 (Campinas), 3 (Curitiba). */
export const demoNetwork: { root: NodeFields & { code: string }; central: Omit<CreateNode, 'parentCode'> } = {
  root: {
    code: 'DEMO',
    name: 'Rede Demo',
    legalName: 'Rede Demo Franquias S.A.',
    cnpj: '11222333000181',
    email: 'rede@demo.local',
    visibility: 'public',
  },
  central: {
    kind: 'central',
    code: 'SUL',
    name: 'Central Sul-Sudeste',
    legalName: 'Rede Demo Central Sul Ltda.',
    cnpj: '12ABC34501DE35',
    email: 'central.sul@demo.local',
    visibility: 'public',
  },
};

export const demoStores: Omit<CreateNode, 'parentCode' | 'kind'>[] = [
  {
    code: '11',
    name: 'Loja 11 — São Paulo (e-commerce)',
    legalName: 'Demo Comércio de Vestuário Paulista Ltda.',
    cnpj: '45997418000153',
    stateRegistration: '110042490114',
    address: {
      street: 'Avenida Paulista',
      number: '1578',
      district: 'Bela Vista',
      city: 'São Paulo',
      cityCode: '3550308',
      state: 'SP',
      postalCode: '01310200',
    },
    latitude: -23.561414,
    longitude: -46.655881,
    email: 'loja11@demo.local',
  },
  {
    code: '8',
    name: 'Loja 8 — Campinas',
    legalName: 'Demo Comércio de Vestuário Campinas Ltda.',
    cnpj: '04252011000110',
    stateRegistration: '244148264115',
    address: {
      street: 'Avenida Francisco Glicério',
      number: '1000',
      district: 'Centro',
      city: 'Campinas',
      cityCode: '3509502',
      state: 'SP',
      postalCode: '13012100',
    },
    latitude: -22.905653,
    longitude: -47.060093,
    email: 'loja8@demo.local',
  },
  {
    code: '3',
    name: 'Loja 3 — Curitiba',
    legalName: 'Demo Comércio de Vestuário Paraná Ltda.',
    cnpj: '76535764000143',
    stateRegistration: '9012345663',
    address: {
      street: 'Rua XV de Novembro',
      number: '700',
      district: 'Centro',
      city: 'Curitiba',
      cityCode: '4106902',
      state: 'PR',
      postalCode: '80020310',
    },
    latitude: -25.429596,
    longitude: -49.271272,
    email: 'loja3@demo.local',
  },
];
