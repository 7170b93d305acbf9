import type { Db } from '../../platform/db/index.ts';
import * as records from './records-store.ts';

interface DemoNode {
  readonly id: string;
  readonly networkId: string;
  readonly address?: { city?: string | null; cityCode?: string | null; state?: string | null } | null;
}

const states: [string, string, string][] = [
  ['SP', '35', 'São Paulo'],
  ['RJ', '33', 'Rio de Janeiro'],
  ['MG', '31', 'Minas Gerais'],
  ['PR', '41', 'Paraná'],
  ['SC', '42', 'Santa Catarina'],
  ['RS', '43', 'Rio Grande do Sul'],
];

const salesChannels: [string, string][] = [
  ['LOJA', 'Loja física'],
  ['ECOM', 'E-commerce'],
  ['APP', 'Aplicativo'],
  ['TELE', 'Televendas'],
];

const saleModalities: [string, string][] = [
  ['BALCAO', 'Venda balcão'],
  ['RETIRA', 'Retira em loja'],
  ['ENTREGA', 'Entrega em domicílio'],
];

const discountReasons: [string, string, string][] = [
  ['01', 'Cliente fidelidade', '10.00'],
  ['02', 'Avaria na embalagem', '15.00'],
  ['03', 'Ajuste de preço da concorrência', '5.00'],
  ['04', 'Aniversariante do mês', '10.00'],
];

/**
 * Believable records of the types the central feeds (Estado, Cidade, CanalVenda, Modalidade, TipoDesc) for
 * the demo network, written through pos_sync_put as the records API writes them.
 */
export async function seedDemoSyncData(db: Db, root: DemoNode, stores: readonly DemoNode[]): Promise<void> {
  const put = (type: string, key: string, data: Record<string, unknown>) =>
    records.put(db, root.networkId, type, root.id, key, data);
  for (const [uf, code, name] of states) await put('states', uf, { uf, ibgeCode: code, name });
  const cities = new Map<string, { name: string; state: string }>();
  for (const s of stores) {
    const a = s.address;
    if (a?.cityCode && a.city && a.state) cities.set(a.cityCode, { name: a.city, state: a.state });
  }
  for (const [ibgeCode, c] of cities) await put('cities', ibgeCode, { ibgeCode, ...c });
  for (const [code, name] of salesChannels) await put('sales-channels', code, { code, name });
  for (const [code, name] of saleModalities) await put('sale-modalities', code, { code, name });
  for (const [code, description, maxPercent] of discountReasons)
    await put('discount-reasons', code, { code, description, maxPercent });
}
