/**
 * The call to NFeInutilizacao4, made by the job worker after the request committed, never inside its
 * transaction. SEFAZ's answer is recorded in one transaction: 102 voids the range (its `ProcInutNFe`
 * replaces the request as the XML kept); any other cStat rejects it. A fault throws and the job retries;
 * the resend of a range SEFAZ voided already is answered 563 ("Já existe pedido de Inutilização com a
 * mesma faixa"), so that answer on a retry is the 102 that was lost: the range is voided, its protocol
 * unknown to us (SEFAZ's portal shows it).
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
  const lostAnswer = answer.outcome === 'rejected' && answer.status === SAME_RANGE && ctx.job.attempts > 1;
  await record(ctx.db, rangeId, answer, lostAnswer);
  return { outcome: answer.outcome, status: answer.status };
}

async function record(db: Db, rangeId: string, answer: VoidResult, lostAnswer: boolean) {
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
    else if (lostAnswer) await store.updateRange(tx, row.id, { status: 'voided', voidedAt: new Date() });
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
