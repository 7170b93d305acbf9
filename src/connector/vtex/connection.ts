import type * as audit from '../../audit/service.ts';
import * as network from '../../network/service.ts';
import type { Db } from '../../platform/db/index.ts';
import { type FieldError, fail, ok, type Result } from '../../platform/errors.ts';
import type { Principal } from '../../platform/http/access.ts';
import { loadConnection, type OpenedConnection, saveConnection } from '../connections.ts';
import type { VtexAccess } from './client.ts';

/** PUT /api/v1/connectors/vtex: the account's settings and its credentials (absent ones are kept). */
export interface VtexConnectionInput {
  accountName: string;
  appKey?: string;
  appToken?: string;
  baseUrl?: string;
  hookToken?: string;
  defaultStoreCode: string;
  active?: boolean;
}

/** What GET answers: never a secret, the app key's last four characters to recognise it by. */
export interface VtexConnectionView {
  accountName: string;
  baseUrl: string;
  defaultStoreCode: string;
  active: boolean;
  appKeyLast4: string;
  hookUrl: string;
  updatedAt: string;
}

export const HOOK_PATH = '/api/v1/connectors/vtex/hook';
export const MIN_HOOK_TOKEN = 16;
const SECRETS = ['appKey', 'appToken', 'hookToken'] as const;

/** VTEX's own address of an account's APIs. */
export const defaultBaseUrl = (accountName: string) => `https://${accountName}.vtexcommercestable.com.br`;

/** A VTEX connection with what the adapter reads from it. */
export interface VtexConnection extends VtexAccess {
  clientId: string;
  accountName: string;
  defaultStoreCode: string;
  hookToken: string;
  active: boolean;
}

export function vtexConnectionOf(c: OpenedConnection): VtexConnection {
  return {
    networkId: c.networkId,
    clientId: c.clientId,
    accountName: String(c.settings.accountName ?? ''),
    baseUrl: String(c.settings.baseUrl ?? ''),
    defaultStoreCode: String(c.settings.defaultStoreCode ?? ''),
    appKey: c.secrets.appKey ?? '',
    appToken: c.secrets.appToken ?? '',
    hookToken: c.secrets.hookToken ?? '',
    active: c.active,
  };
}

export async function loadVtexConnection(
  db: Db,
  networkId: string,
  secretKey: Buffer,
): Promise<VtexConnection | undefined> {
  const opened = await loadConnection(db, networkId, 'vtex', secretKey);
  return opened && vtexConnectionOf(opened);
}

function view(c: OpenedConnection, publicUrl: string): VtexConnectionView {
  return {
    accountName: String(c.settings.accountName),
    baseUrl: String(c.settings.baseUrl),
    defaultStoreCode: String(c.settings.defaultStoreCode),
    active: c.active,
    appKeyLast4: (c.secrets.appKey ?? '').slice(-4),
    hookUrl: `${publicUrl.replace(/\/+$/, '')}${HOOK_PATH}`,
    updatedAt: c.updatedAt.toISOString(),
  };
}

export async function getVtexConnection(
  db: Db,
  viewer: Principal,
  secretKey: Buffer,
  publicUrl: string,
): Promise<Result<VtexConnectionView>> {
  const found = viewer.networkId ? await loadConnection(db, viewer.networkId, 'vtex', secretKey) : undefined;
  if (!found)
    return fail('not_found', 'CONNECTOR.CONNECTION_NOT_FOUND', 'The network has no VTEX connection.');
  return ok(view(found, publicUrl));
}

/** The rules beyond the request's shape: a base URL that is one, a store of the network. */
async function inputErrors(db: Db, viewer: Principal, input: VtexConnectionInput): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  if (input.baseUrl !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(input.baseUrl);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password)
      errors.push({
        path: '/baseUrl',
        code: 'CONNECTOR.URL_INVALID',
        message: 'must be an http(s) address without credentials',
      });
  }
  const store = await network.findStore(db, viewer, input.defaultStoreCode);
  if (!store.ok)
    errors.push({
      path: '/defaultStoreCode',
      code: 'CONNECTOR.UNKNOWN_STORE',
      message: `there is no store ${input.defaultStoreCode} in the network`,
    });
  return errors;
}

/** Creates or replaces the network's VTEX connection (audited by saveConnection, secrets masked). */
export async function putVtexConnection(
  db: Db,
  editor: Principal & audit.Who,
  input: VtexConnectionInput,
  secretKey: Buffer,
  publicUrl: string,
): Promise<Result<VtexConnectionView>> {
  const errors = await inputErrors(db, editor, input);
  if (errors.length)
    return fail('invalid', 'CONNECTOR.CONNECTION_INVALID', 'The VTEX connection cannot be saved as sent.', {
      errors,
    });
  const baseUrl = (input.baseUrl ?? defaultBaseUrl(input.accountName)).replace(/\/+$/, '');
  const saved = await saveConnection(
    db,
    editor,
    'vtex',
    {
      settings: { accountName: input.accountName, baseUrl, defaultStoreCode: input.defaultStoreCode },
      secrets: { appKey: input.appKey, appToken: input.appToken, hookToken: input.hookToken },
      requiredSecrets: SECRETS,
      active: input.active,
      endpointUrl: baseUrl,
    },
    secretKey,
  );
  return saved.ok ? ok(view(saved.value, publicUrl)) : saved;
}
