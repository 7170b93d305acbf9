import type { Db } from '../../platform/db/index.ts';
import { fail, ok, type Result } from '../../platform/errors.ts';
import { centsOf, toCents } from '../../platform/money.ts';
import type { UploadContext } from './context.ts';
import {
  type CashClosingBody,
  type CashMovementBody,
  type CashOpeningBody,
  closingOf,
  expectedCash,
} from './domain.ts';
import * as store from './store.ts';

/** The cash drawer of a terminal (abertura, sangria, suprimento, fechamento), as the POS reports it. */

export async function applyCashOpening(
  tx: Db,
  ctx: UploadContext,
  body: CashOpeningBody,
): Promise<Result<Record<string, unknown>>> {
  const session = await store.insertSession(tx, {
    networkId: ctx.store.networkId,
    storeId: ctx.store.id,
    terminal: body.terminal,
    posId: body.posId,
    operator: body.operator ?? null,
    openingAmount: body.amount,
    openedAt: new Date(body.occurredAt),
  });
  if (!session)
    return fail(
      'conflict',
      'POS.CASH_SESSION_EXISTS',
      `Terminal ${body.terminal} already opened cash session ${body.posId}.`,
      { data: { terminal: body.terminal, posId: body.posId } },
    );
  return ok({ cashSessionId: session.id, openingAmount: body.amount });
}

/** The terminal's session the upload refers to, open: refused (422) when unknown or already closed. */
export async function openSession(
  tx: Db,
  ctx: UploadContext,
  terminal: string,
  posId: string,
): Promise<Result<store.CashSessionRow>> {
  const session = await store.findSession(tx, ctx.store.id, terminal, posId, true);
  if (!session)
    return fail(
      'invalid',
      'POS.UPLOAD_INVALID',
      'The upload refers to a cash session this terminal never opened.',
      {
        errors: [
          {
            path: '/cashSessionPosId',
            code: 'POS.CASH_SESSION_UNKNOWN',
            message: `terminal ${terminal} has no cash session ${posId}`,
            params: { terminal, cashSessionPosId: posId },
          },
        ],
      },
    );
  if (session.closedAt)
    return fail('invalid', 'POS.UPLOAD_INVALID', 'The upload refers to a closed cash session.', {
      errors: [
        {
          path: '/cashSessionPosId',
          code: 'POS.CASH_SESSION_CLOSED',
          message: `cash session ${posId} of terminal ${terminal} is closed`,
          params: { terminal, cashSessionPosId: posId, closedAt: session.closedAt.toISOString() },
        },
      ],
    });
  return ok(session);
}

export async function applyCashMovement(
  tx: Db,
  ctx: UploadContext,
  body: CashMovementBody,
): Promise<Result<Record<string, unknown>>> {
  const session = await openSession(tx, ctx, body.terminal, body.cashSessionPosId);
  if (!session.ok) return session;
  const id = await store.insertMovement(tx, {
    sessionId: session.value.id,
    posId: body.posId,
    type: body.type,
    amount: body.amount,
    reason: body.reason.trim(),
    occurredAt: new Date(body.occurredAt),
  });
  return ok({ cashMovementId: id, cashSessionId: session.value.id, type: body.type, amount: body.amount });
}

/** Fechamento: expected = opening + cash sales + supplies − withdrawals; difference = counted − expected. */
export async function applyCashClosing(
  tx: Db,
  ctx: UploadContext,
  body: CashClosingBody,
): Promise<Result<Record<string, unknown>>> {
  const session = await openSession(tx, ctx, body.terminal, body.cashSessionPosId);
  if (!session.ok) return session;
  const totals = await store.sessionTotals(tx, session.value.id);
  const expected = expectedCash({ opening: centsOf(session.value.openingAmount), ...totals });
  const closing = closingOf(expected, toCents(body.countedAmount));
  await store.closeSession(tx, session.value.id, {
    closingPosId: body.posId,
    ...closing,
    closedAt: new Date(body.occurredAt),
  });
  return ok({ cashSessionId: session.value.id, ...closing });
}
