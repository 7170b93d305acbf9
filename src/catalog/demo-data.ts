/**
 * The demo catalogue of a clothing and footwear network. EANs carry the Brazilian GS1 prefix 789 and
 * a valid check digit; NCMs are the Mercosur codes such goods are invoiced under. Most products are
 * enabled for the e-commerce; a few are not (only integrated, neither flag, or the product inactive),
 * so the filters and the platform's view have something to leave out.
 */
type Flags = { integratesEcommerce: boolean; activeEcommerce: boolean };
type Row = [
  sku: string,
  ean: string,
  description: string,
  ncm: string,
  unit: string,
  price: string,
  Flags,
  active?: boolean,
];

const enabled: Flags = { integratesEcommerce: true, activeEcommerce: true };
const integratedOnly: Flags = { integratesEcommerce: true, activeEcommerce: false };
const storeOnly: Flags = { integratesEcommerce: false, activeEcommerce: false };

const rows: Row[] = [
  // 6109.10.00: T-shirts of cotton, knitted
  ['CAM-001', '7896012010013', 'Camiseta básica algodão branca M', '61091000', 'UN', '59.90', enabled],
  ['CAM-002', '7896012010143', 'Camiseta básica algodão preta M', '61091000', 'UN', '59.90', enabled],
  ['CAM-003', '7896012010273', 'Camiseta estampada verão G', '61091000', 'UN', '79.90', enabled],
  ['CAM-004', '7896012010402', 'Camiseta gola V mescla P', '61091000', 'UN', '69.90', integratedOnly],
  // 6105.10.00: men's shirts of cotton, knitted (polo)
  ['POL-001', '7896012010532', 'Camisa polo piquê azul-marinho M', '61051000', 'UN', '129.90', enabled],
  // 6205.20.00: men's shirts of cotton, woven
  ['CMS-001', '7896012010662', 'Camisa social algodão branca 40', '62052000', 'UN', '189.90', enabled],
  // 6203.42.00: men's trousers and shorts of cotton; 6204.62.00: women's
  ['CAL-001', '7896012010792', 'Calça jeans masculina slim 42', '62034200', 'UN', '219.90', enabled],
  ['CAL-002', '7896012010921', 'Calça chino algodão bege 40', '62034200', 'UN', '199.90', enabled],
  ['CAL-003', '7896012011058', 'Calça jeans feminina skinny 38', '62046200', 'UN', '229.90', storeOnly],
  // 6204.42.00: dresses of cotton
  ['VES-001', '7896012011188', 'Vestido midi algodão floral M', '62044200', 'UN', '249.90', enabled],
  ['BER-001', '7896012011317', 'Bermuda sarja caqui 42', '62034200', 'UN', '139.90', enabled],
  // 6110.20.00: sweatshirts of cotton, knitted
  ['MOL-001', '7896012011447', 'Moletom canguru cinza G', '61102000', 'UN', '199.90', enabled],
  // 6203.32.00: men's jackets of cotton
  ['JAQ-001', '7896012011577', 'Jaqueta jeans masculina M', '62033200', 'UN', '299.90', integratedOnly],
  // 6115.95.00: socks of cotton; 6107.11.00: men's underpants of cotton; 6208.21.00: women's pyjamas
  ['MEI-001', '7896012011706', 'Meia cano médio algodão (3 pares)', '61159500', 'KIT', '39.90', enabled],
  ['CUE-001', '7896012011836', 'Cueca boxer algodão (2 unidades)', '61071100', 'KIT', '49.90', enabled],
  ['PIJ-001', '7896012011966', 'Pijama feminino algodão M', '62082100', 'UN', '119.90', storeOnly],
  // 6403.99.90 / 6403.91.90: leather uppers; 6404.11.00: sports shoes, textile uppers; 6402.20.00: flip-flops
  ['TEN-001', '7896012012093', 'Tênis casual couro branco 40', '64039990', 'PAR', '349.90', enabled],
  ['TEN-002', '7896012012222', 'Tênis de corrida tecido respirável 41', '64041100', 'PAR', '399.90', enabled],
  [
    'SAN-001',
    '7896012012352',
    'Sandália rasteira couro 36 (fora de linha)',
    '64039990',
    'PAR',
    '119.90',
    enabled,
    false,
  ],
  ['BOT-001', '7896012012482', 'Bota cano curto couro marrom 39', '64039190', 'PAR', '459.90', enabled],
  ['CHI-001', '7896012012611', 'Chinelo de borracha 38', '64022000', 'PAR', '29.90', storeOnly],
  // 4202.21.00 / 4202.22.00 / 4202.92.00: handbags (leather, textile) and backpacks; 4203.30.00: leather belts
  ['BOL-001', '7896012012741', 'Bolsa tiracolo couro caramelo', '42022100', 'UN', '389.90', enabled],
  ['BOL-002', '7896012012871', 'Bolsa sacola de lona', '42022200', 'UN', '149.90', enabled],
  ['MOC-001', '7896012013007', 'Mochila poliéster preta', '42029200', 'UN', '179.90', storeOnly],
  ['CIN-001', '7896012013137', 'Cinto couro preto 90', '42033000', 'UN', '89.90', enabled],
];

export const demoProducts = rows.map(([sku, ean, description, ncm, unit, price, flags, active = true]) => ({
  sku,
  ean,
  description,
  ncm,
  unit,
  price,
  ...flags,
  active,
}));

/** Prices that differ by region or store: the nearest node wins. */
export const demoOverrides: { sku: string; nodeCode: string; price: string }[] = [
  { sku: 'CAM-001', nodeCode: '3', price: '64.90' },
  { sku: 'CAL-002', nodeCode: 'SUL', price: '189.90' },
  { sku: 'CAL-002', nodeCode: '8', price: '179.90' },
];
