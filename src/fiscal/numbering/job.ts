/**
 * The call to NFeInutilizacao4, made by the job worker after the request committed, never inside its
 * transaction. SEFAZ's answer is recorded in one transaction: 102 voids the range (its `ProcInutNFe`
 * replaces the request as the XML kept); any other cStat rejects it. A fault throws and the job retries.
 * Answer 563 ("Já existe pedido de Inutilização com a mesma faixa") means SEFAZ holds exactly this range
 * voided: an earlier send whose 102 was lost (a crash before the commit, a retry after a timeout), or the
 * store's previous system. Either way the numbers are voided: the range is recorded `voided`, without a
 * protocol of ours, SEFAZ's answer kept beside it.
 */
import type { Db } from '../../platform/db/index.ts';
import { transaction } from '../../platform/db/transaction.ts';
import { ok } from '../../platform/errors.ts';
import type { JobContext, JobHandler } from '../../platform/jobs/service.ts';
import type { Authorizer, AuthorizerFor, VoidResult } from '../authorizer/index.ts';
import { VOID_QUEUE } from './service.ts';
import * as store from './store.ts';

/** cStat 563: the same range was voided before. */
const SAME_RANGE = 563;

async function sendRange(authorizerFor: AuthorizerFor, ctx: JobContext): Promise<unknown> {
  const { rangeId } = ctx.job.payload as { rangeId: string };
  const range = await store.findRange(ctx.db, rangeId);
  if (range?.status !== 'sending') return { skipped: range?.status ?? 'missing' };
  const authorizer = await authorizerFor(range.storeId);
  const answer: VoidResult = await authorizer.voidRange(range.xml);
  await record(ctx.db, rangeId, answer);
  return { outcome: answer.outcome, status: answer.status };
}

async function record(db: Db, rangeId: string, answer: VoidResult) {
  await transaction(db, async (tx) => {
    const row = await store.findRange(tx, rangeId, true);
    if (row?.status !== 'sending') return ok(null);
    if (answer.outcome === 'voided')
      await store.updateRange(tx, row.id, {
        status: 'voided',
        protocol: answer.protocol,
        xml: answer.procInutXml,
        voidedAt: answer.voidedAt,
      });
    else if (answer.status === SAME_RANGE)
      await store.updateRange(tx, row.id, {
        status: 'voided',
        voidedAt: new Date(),
        rejectionCode: answer.status,
        rejectionReason: answer.reason,
      });
    else
      await store.updateRange(tx, row.id, {
        status: 'rejected',
        rejectionCode: answer.status,
        rejectionReason: answer.reason,
      });
    return ok(null);
  });
}

/** The job handler of the voiding outbox, bound to each store's authoriser. */
export function voidingJobHandlers(authorizers: Authorizer | AuthorizerFor): Record<string, JobHandler> {
  const authorizerFor: AuthorizerFor =
    typeof authorizers === 'function' ? authorizers : async () => authorizers;
  return { [VOID_QUEUE]: (ctx) => sendRange(authorizerFor, ctx) };
}
