import * as network from '../../network/service.ts';
import type { Db } from '../../platform/db/index.ts';
import { type FieldError, fail, ok, type Result } from '../../platform/errors.ts';
import type { Principal } from '../../platform/http/access.ts';
import { loadConnection, type OpenedConnection, openConnection, saveConnection } from '../service.ts';
import { DEFAULT_BASE_URL, type NuvemshopAccount } from './client.ts';
import { connectionsOfStore } from './store.ts';

/**
 * A network's Nuvemshop connection (issue 16 §6): the store id, the app's access token and secret (sealed),
 * where its API is, the User-Agent it demands, and the Omnihub store its orders go to when nothing else says.
 */

export const HOOK_PATH = '/api/v1/connectors/nuvemshop/hook';

export interface NuvemshopInput {
  storeId: string;
  accessToken?: string;
  appSecret?: string;
  baseUrl?: string;
  userAgent?: string;
  defaultStoreCode: string;
  active?: boolean;
}

export interface NuvemshopSettings {
  storeId: string;
  baseUrl: string;
  userAgent: string;
  defaultStoreCode: string;
}

export interface NuvemshopView extends NuvemshopSettings {
  active: boolean;
  accessTokenLast4: string;
  appSecretStored: boolean;
  /** Where Nuvemshop's webhooks are to be registered. */
  hookUrl: string;
  updatedAt: string;
}

export const settingsOf = (c: OpenedConnection) => c.settings as unknown as NuvemshopSettings;

/** What the client needs to call Nuvemshop for this connection. */
export function accountOf(c: OpenedConnection): NuvemshopAccount {
  const s = settingsOf(c);
  return {
    networkId: c.networkId,
    baseUrl: s.baseUrl,
    storeId: s.storeId,
    accessToken: c.secrets.accessToken ?? '',
    userAgent: s.userAgent,
  };
}

function view(c: OpenedConnection, publicUrl: string): NuvemshopView {
  return {
    ...settingsOf(c),
    active: c.active,
    accessTokenLast4: (c.secrets.accessToken ?? '').slice(-4),
    appSecretStored: Boolean(c.secrets.appSecret),
    hookUrl: `${publicUrl.replace(/\/+$/, '')}${HOOK_PATH}`,
    updatedAt: c.updatedAt.toISOString(),
  };
}

export async function getNuvemshop(
  db: Db,
  viewer: Principal,
  deps: { secretKey: Buffer; publicUrl: string },
): Promise<Result<NuvemshopView>> {
  const found = viewer.networkId
    ? await loadConnection(db, viewer.networkId, 'nuvemshop', deps.secretKey)
    : undefined;
  if (!found) return fail('not_found', 'CONNECTOR.NOT_CONNECTED', 'The network has no Nuvemshop connection.');
  return ok(view(found, deps.publicUrl));
}

function baseUrlError(baseUrl: string): FieldError | null {
  try {
    const url = new URL(baseUrl);
    if (url.protocol === 'http:' || url.protocol === 'https:') {
      if (!url.username && !url.password) return null;
    }
  } catch {
    // reported below
  }
  return {
    path: '/baseUrl',
    code: 'CONNECTOR.URL_INVALID',
    message: 'must be an http(s) URL without credentials',
  };
}

export async function putNuvemshop(
  db: Db,
  editor: Principal,
  input: NuvemshopInput,
  deps: { secretKey: Buffer; publicUrl: string },
): Promise<Result<NuvemshopView>> {
  const errors: FieldError[] = [];
  const baseUrl = (input.baseUrl ?? DEFAULT_BASE_URL).trim().replace(/\/+$/, '');
  const urlError = baseUrlError(baseUrl);
  if (urlError) errors.push(urlError);
  const store = await network.findStore(db, editor, input.defaultStoreCode);
  if (!store.ok)
    errors.push({
      path: '/defaultStoreCode',
      code: 'CONNECTOR.UNKNOWN_STORE',
      message: `there is no store ${input.defaultStoreCode} in the network`,
    });
  const holders = await connectionsOfStore(db, input.storeId);
  if (holders.some((h) => h.networkId !== editor.networkId))
    errors.push({
      path: '/storeId',
      code: 'CONNECTOR.STORE_TAKEN',
      message: 'is connected to another network',
    });
  if (errors.length)
    return fail('invalid', 'CONNECTOR.CONNECTION_INVALID', 'The connection cannot be saved as sent.', {
      errors,
    });
  const settings: NuvemshopSettings = {
    storeId: input.storeId,
    baseUrl,
    // Nuvemshop refuses calls without a User-Agent naming the app and whom to contact.
    userAgent: input.userAgent?.trim() || `Omnihub (${editor.name})`,
    defaultStoreCode: input.defaultStoreCode,
  };
  const saved = await saveConnection(
    db,
    editor,
    'nuvemshop',
    {
      settings: { ...settings },
      secrets: { accessToken: input.accessToken, appSecret: input.appSecret },
      requiredSecrets: ['accessToken', 'appSecret'],
      active: input.active,
      endpointUrl: `${baseUrl}/${input.storeId}`,
    },
    deps.secretKey,
  );
  return saved.ok ? ok(view(saved.value, deps.publicUrl)) : saved;
}

/** The connection a webhook's store id names, opened; undefined when no network connected that store. */
export async function connectionOfStore(
  db: Db,
  storeId: string,
  secretKey: Buffer,
): Promise<OpenedConnection | undefined> {
  const [row] = await connectionsOfStore(db, storeId);
  return row ? openConnection(row, secretKey) : undefined;
}
