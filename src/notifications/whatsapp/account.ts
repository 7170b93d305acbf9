/**
 * A network's WhatsApp account (issue 15 §7): set, shown, removed and tested by the network's admins.
 * The access token is sealed before it is stored and never answered; the audit log records that it was
 * set or replaced, never its value.
 */
import * as audit from '../../audit/service.ts';
import * as network from '../../network/service.ts';
import type { Db } from '../../platform/db/index.ts';
import { transaction } from '../../platform/db/transaction.ts';
import { fail, ok, type Result } from '../../platform/errors.ts';
import { admins, type Principal } from '../../platform/http/access.ts';
import { openSecret, sealSecret } from '../../platform/secret-key.ts';
import {
  createWhatsAppClient,
  DEFAULT_API_VERSION,
  DEFAULT_BASE_URL,
  DEFAULT_TIMEOUT_MS,
  WhatsAppFault,
} from './client.ts';
import {
  type AccountInput,
  accountErrors,
  storedTemplates,
  TEST_TEMPLATE,
  templateMap,
  testRecipient,
  type WhatsAppTemplateCode,
} from './domain.ts';
import type { FaultKind } from './faults.ts';
import * as store from './store.ts';

export const DEFAULT_LANGUAGE = 'pt_BR';

export interface AccountView {
  networkCode: string;
  configured: boolean;
  phoneNumberId: string | null;
  businessAccountId: string | null;
  baseUrl: string;
  apiVersion: string;
  language: string;
  /** Every Omnihub code with the approved template that serves it. */
  templates: Record<WhatsAppTemplateCode, string>;
  /** Whether an access token is stored (it is never answered). */
  tokenStored: boolean;
  active: boolean;
  updatedAt: string | null;
  updatedBy: string | null;
}

export type TestResult =
  | { ok: true; to: string; template: string; providerId: string; waId: string | null; elapsedMs: number }
  | {
      ok: false;
      to: string;
      template: string;
      kind: FaultKind;
      permanent: boolean;
      status: number | null;
      code: number | null;
      message: string;
      elapsedMs: number;
    };

function view(code: string, row: store.AccountRow | undefined): AccountView {
  return {
    networkCode: code,
    configured: row !== undefined,
    phoneNumberId: row?.phoneNumberId ?? null,
    businessAccountId: row?.businessAccountId ?? null,
    baseUrl: row?.baseUrl ?? DEFAULT_BASE_URL,
    apiVersion: row?.apiVersion ?? DEFAULT_API_VERSION,
    language: row?.language ?? DEFAULT_LANGUAGE,
    templates: templateMap(row?.templates ?? {}),
    tokenStored: row !== undefined,
    active: row?.active ?? false,
    updatedAt: row?.updatedAt.toISOString() ?? null,
    updatedBy: row?.updatedBy ?? null,
  };
}

/** The audit log's picture of the account: the token goes in sealed so the log can say it changed. */
function snapshot(row: store.AccountRow | undefined) {
  if (!row) return null;
  return {
    phoneNumberId: row.phoneNumberId,
    businessAccountId: row.businessAccountId,
    baseUrl: row.baseUrl,
    apiVersion: row.apiVersion,
    language: row.language,
    templates: row.templates,
    active: row.active,
    accessToken: row.accessToken,
  };
}

/** The network node a request names: visible to the viewer and a network, not a central or a store. */
async function networkNode(
  db: Db,
  viewer: network.Viewer,
  code: string,
): Promise<Result<network.NetworkNode>> {
  const node = await network.getNode(db, viewer, code);
  if (!node.ok) return node;
  if (node.value.kind !== 'network')
    return fail(
      'invalid',
      'WHATSAPP.NOT_A_NETWORK',
      `${code} is not a network: the WhatsApp account is the network's, shared by its stores.`,
    );
  return node;
}

/** The network whose account the principal may change: its own network node, admins at the root. */
async function managedNetwork(db: Db, editor: Principal, code: string): Promise<Result<network.NetworkNode>> {
  if (!admins.includes(editor.actor))
    return fail('forbidden', 'WHATSAPP.NOT_ADMIN', 'Only network admins change the WhatsApp account.');
  const node = await networkNode(db, editor, code);
  if (!node.ok) return node;
  if (!network.isWithin(node.value.path, editor.nodePath))
    return fail(
      'forbidden',
      'WHATSAPP.NOT_NETWORK_ADMIN',
      'The WhatsApp account serves the whole network: only its network admins change or test it.',
    );
  return node;
}

export async function getAccount(db: Db, viewer: network.Viewer, code: string): Promise<Result<AccountView>> {
  const node = await networkNode(db, viewer, code);
  if (!node.ok) return node;
  return ok(view(code, await store.find(db, node.value.id)));
}

export async function putAccount(
  db: Db,
  editor: Principal,
  code: string,
  input: AccountInput,
  secretKey: Buffer,
  now = new Date(),
): Promise<Result<AccountView>> {
  const node = await managedNetwork(db, editor, code);
  if (!node.ok) return node;
  return transaction(db, async (tx) => {
    const current = await store.findForUpdate(tx, node.value.id);
    const errors = accountErrors(input, current !== undefined);
    if (errors.length)
      return fail('invalid', 'WHATSAPP.ACCOUNT_INVALID', 'The WhatsApp account is not valid.', { errors });
    const accessToken =
      input.accessToken === undefined ? current!.accessToken : sealSecret(secretKey, input.accessToken);
    const row = await store.upsert(tx, node.value.id, {
      phoneNumberId: input.phoneNumberId,
      businessAccountId: input.businessAccountId,
      baseUrl: (input.baseUrl ?? current?.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, ''),
      apiVersion: input.apiVersion ?? current?.apiVersion ?? DEFAULT_API_VERSION,
      language: input.language ?? current?.language ?? DEFAULT_LANGUAGE,
      templates: input.templates ? storedTemplates(input.templates) : (current?.templates ?? {}),
      active: input.active ?? current?.active ?? true,
      accessToken,
      updatedBy: editor.id,
      updatedAt: now,
    });
    const before = snapshot(current);
    const after = snapshot(row);
    if (JSON.stringify(before) !== JSON.stringify(after))
      await audit.record(tx, editor, audit.scopeOf(node.value), {
        action: current ? 'whatsapp_account.changed' : 'whatsapp_account.created',
        target: {
          type: 'whatsapp_account',
          id: node.value.id,
          label: `${node.value.code} ${node.value.name}`,
        },
        before,
        after,
      });
    return ok(view(code, row));
  });
}

export async function deleteAccount(
  db: Db,
  editor: Principal,
  code: string,
): Promise<Result<{ code: string }>> {
  const node = await managedNetwork(db, editor, code);
  if (!node.ok) return node;
  return transaction(db, async (tx) => {
    const removed = await store.remove(tx, node.value.id);
    if (!removed)
      return fail('not_found', 'WHATSAPP.NOT_CONFIGURED', `The network ${code} has no WhatsApp account.`);
    await audit.record(tx, editor, audit.scopeOf(node.value), {
      action: 'whatsapp_account.removed',
      target: { type: 'whatsapp_account', id: node.value.id, label: `${node.value.code} ${node.value.name}` },
      before: snapshot(removed),
      after: null,
    });
    return ok({ code });
  });
}

/** The stored account with its token opened, for a client. */
export interface OpenedAccount {
  readonly row: store.AccountRow;
  readonly accessToken: string;
}

export function openAccount(row: store.AccountRow, secretKey: Buffer): Result<OpenedAccount> {
  const token = openSecret(secretKey, row.accessToken);
  if (!token.ok) return token;
  return ok({ row, accessToken: token.value.toString('utf8') });
}

/**
 * "Enviar teste": Meta's `hello_world` to the number given, from the stored account (active or not, so an
 * admin tries it before switching it on). Whatever the API answers is the test's result (200); only
 * a number that cannot be one, or no account, is refused.
 */
export async function testAccount(
  db: Db,
  editor: Principal,
  code: string,
  to: string,
  secretKey: Buffer,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<Result<TestResult>> {
  const node = await managedNetwork(db, editor, code);
  if (!node.ok) return node;
  const recipient = testRecipient(to);
  if (!recipient.ok)
    return fail('invalid', 'WHATSAPP.PHONE_INVALID', 'The test message needs a phone number.', {
      errors: [recipient.error],
    });
  const row = await store.find(db, node.value.id);
  if (!row)
    return fail('not_found', 'WHATSAPP.NOT_CONFIGURED', `The network ${code} has no WhatsApp account.`);
  const opened = openAccount(row, secretKey);
  if (!opened.ok)
    return fail(
      'invalid',
      'WHATSAPP.TOKEN_UNREADABLE',
      'The stored access token does not open: save it again.',
      {
        errors: [{ path: '/accessToken', code: 'WHATSAPP.TOKEN_UNREADABLE', message: 'save it again' }],
      },
    );
  const client = createWhatsAppClient({
    baseUrl: row.baseUrl,
    apiVersion: row.apiVersion,
    phoneNumberId: row.phoneNumberId,
    accessToken: opened.value.accessToken,
    timeoutMs,
  });
  const started = Date.now();
  const base = { to: recipient.to, template: TEST_TEMPLATE.name };
  try {
    const sent = await client.sendTemplate({
      to: recipient.to,
      template: TEST_TEMPLATE.name,
      language: TEST_TEMPLATE.language,
      parameters: [],
    });
    return ok({ ok: true, ...base, ...sent, elapsedMs: Date.now() - started });
  } catch (error) {
    if (!(error instanceof WhatsAppFault)) throw error;
    return ok({
      ok: false,
      ...base,
      kind: error.kind,
      permanent: error.permanent,
      status: error.status,
      code: error.graph?.code ?? null,
      message: error.message,
      elapsedMs: Date.now() - started,
    });
  }
}
