/**
 * "Testar comunicação" (issue 14 §3): asks the store's authoriser NFeStatusServico4 for both models, outside
 * any transaction and with a short timeout, and answers what came back. A fault is a result the user must
 * see (SEFAZ unreachable, the certificate refused in the TLS handshake), not a server error.
 */
import type * as network from '../network/service.ts';
import type { Db } from '../platform/db/index.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import {
  type Authorizer,
  type AuthorizerResolver,
  AuthorizerUnavailable,
  SefazFault,
  type SefazFaultKind,
  type ServiceStatus,
} from './authorizer/index.ts';
import { type AuthorizerChoice, storeNode } from './settings.ts';

const SERVICE = 'NFeStatusServico4';

export type ModelStatus =
  | {
      model: 55 | 65;
      ok: true;
      /** cStat: 107 in operation, 108/109 paralysed, another a rejection of the request. */
      status: number;
      reason: string;
      averageSeconds: number | null;
      expectedBackAt: string | null;
      observation: string | null;
      checkedAt: string;
      elapsedMs: number;
    }
  | { model: 55 | 65; ok: false; kind: SefazFaultKind; message: string; elapsedMs: number };

export interface CommunicationTest {
  storeCode: string;
  authorizer: AuthorizerChoice;
  environment: '1' | '2';
  results: ModelStatus[];
}

function withTimeout<T>(call: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new SefazFault('timeout', SERVICE, `${SERVICE} did not answer within ${ms} ms`)),
      ms,
    );
  });
  return Promise.race([call, late]).finally(() => clearTimeout(timer));
}

async function statusOf(authorizer: Authorizer, model: 55 | 65, timeoutMs: number): Promise<ModelStatus> {
  const started = performance.now();
  const elapsedMs = () => Math.round(performance.now() - started);
  try {
    const answer: ServiceStatus = await withTimeout(authorizer.status(model), timeoutMs);
    return {
      model,
      ok: true,
      status: answer.status,
      reason: answer.reason,
      averageSeconds: answer.averageSeconds ?? null,
      expectedBackAt: answer.expectedBackAt?.toISOString() ?? null,
      observation: answer.observation ?? null,
      checkedAt: answer.checkedAt.toISOString(),
      elapsedMs: elapsedMs(),
    };
  } catch (fault) {
    // A throw that is not a SefazFault still means no answer was had: shown as unreachable, with its text.
    return {
      model,
      ok: false,
      kind: fault instanceof SefazFault ? fault.kind : 'unreachable',
      message: fault instanceof Error ? fault.message : String(fault),
      elapsedMs: elapsedMs(),
    };
  }
}

/** Both models' service status from the authoriser the store's settings choose (back office who sees it). */
export async function testCommunication(
  db: Db,
  viewer: network.Viewer,
  code: string,
  authorizers: AuthorizerResolver,
  timeoutMs: number,
): Promise<Result<CommunicationTest>> {
  const store = await storeNode(db, viewer, code);
  if (!store.ok) return store;
  const storeId = store.value.id;
  let chosen: Awaited<ReturnType<AuthorizerResolver['choose']>>;
  try {
    chosen = await authorizers.choose(storeId);
  } catch (error) {
    if (error instanceof AuthorizerUnavailable)
      return fail('invalid', 'FISCAL.AUTHORIZER_UNAVAILABLE', error.message, {
        data: { reason: error.code },
      });
    throw error;
  }
  const results = await Promise.all([
    statusOf(chosen.authorizer, 55, timeoutMs),
    statusOf(chosen.authorizer, 65, timeoutMs),
  ]);
  return ok({ storeCode: code, authorizer: chosen.kind, environment: chosen.environment, results });
}
