import * as network from '../network/service.ts';
import * as parameters from '../parameters/service.ts';
import type { Db } from '../platform/db/index.ts';
import { fail, type Result } from '../platform/errors.ts';
import { type Ingested, ingest } from './ingest.ts';
import type { IngestInput } from './ingest-rules.ts';
import type { OrderCaller } from './lifecycle.ts';

/**
 * The endless aisle ("prateleira infinita", seeds 003 PDVFM001): the POS sells what its store lacks and the
 * sale enters the hub as an order of modality `endless_aisle`, channel `pos`, through the platform's ingest
 * (the same validation, idempotency on externalId, numbering and history). It is born blocked with the
 * fulfilling store's CD_MOTIVOBLOQ_PED_PRATELE until that store accepts it, and carries the selling store's
 * representative (CD_REPRE_PRATELEIRA) and print model (CD_MOD_VENDA_PRATELEIRA); then it follows the same
 * acceptance and split as any order.
 */

/** The platform's order body; the fulfilling store defaults to the POS's own (the split may then serve it). */
export type EndlessAisleInput = Omit<IngestInput, 'storeCode' | 'channel'> & { storeCode?: string };

/** What the seeds' example calls the blocking reason when the network names none. */
export const DEFAULT_BLOCK_REASON = 'PRATELEIRA';

export async function sellFromEndlessAisle(
  db: Db,
  pos: OrderCaller,
  input: EndlessAisleInput,
): Promise<Result<Ingested>> {
  if (pos.actor !== 'pos' || !pos.nodeId || !pos.networkId)
    throw new Error('the endless aisle needs a POS key');
  const seller = await network.getNodeById(db, pos.nodeId);
  const root = await network.placement(db, pos.networkId);
  if (seller?.kind !== 'store' || !root)
    return fail(
      'forbidden',
      'ORDER.ENDLESS_AISLE_NOT_A_STORE',
      'Only the POS of a store sells from the endless aisle.',
    );
  const settings = await parameters.resolveMany(db, seller.id, [
    'TP_UTILIZA_PRATELEIRA',
    'CD_REPRE_PRATELEIRA',
    'CD_MOD_VENDA_PRATELEIRA',
  ]);
  if (settings.TP_UTILIZA_PRATELEIRA.value !== true)
    return fail(
      'conflict',
      'ORDER.ENDLESS_AISLE_DISABLED',
      `Store ${seller.code} does not sell from the endless aisle: TP_UTILIZA_PRATELEIRA is off for it.`,
      { data: { parameter: 'TP_UTILIZA_PRATELEIRA', storeCode: seller.code } },
    );
  const { storeCode, ...sale } = input;
  return ingest(
    db,
    pos,
    { ...sale, storeCode: storeCode ?? seller.code },
    {
      modality: 'endless_aisle',
      channel: 'pos',
      // Any store of the network may serve what the POS sold; the POS reads back only its own sales.
      scope: { nodeId: pos.networkId, nodePath: root.path, networkId: pos.networkId },
      endlessAisle: async (tx, fulfilling) => ({
        sellingStoreId: seller.id,
        sellingStoreCode: seller.code,
        representative: settings.CD_REPRE_PRATELEIRA.value,
        printModel: settings.CD_MOD_VENDA_PRATELEIRA.value,
        blockReason:
          (await parameters.resolve(tx, fulfilling.id, 'CD_MOTIVOBLOQ_PED_PRATELE')).value ??
          DEFAULT_BLOCK_REASON,
      }),
    },
  );
}
