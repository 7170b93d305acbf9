import { createHash, randomBytes } from 'node:crypto';
import * as network from '../network/service.ts';
import type { Db } from '../platform/db/index.ts';
import { fail, ok } from '../platform/errors.ts';
import type { Actor, Principal } from '../platform/http/access.ts';
import { nodeKindOf } from './domain.ts';

/** What users and API clients share: secrets kept only as hashes, and the nodes an admin manages. */
export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
export const newSecret = (prefix: string) => `${prefix}_${randomBytes(24).toString('base64url')}`;

export async function bindableNode(db: Db, viewer: Principal, nodeCode: string, actor: Actor) {
  const node = await network.getNode(db, viewer, nodeCode);
  if (!node.ok || !network.isWithin(node.value.path, viewer.nodePath)) {
    return fail('invalid', 'ACCESS.INVALID_NODE', `There is no node ${nodeCode} you manage.`, {
      errors: [{ path: '/nodeCode', code: 'ACCESS.NODE_NOT_MANAGED', message: 'is not a node you manage' }],
    });
  }
  if (node.value.kind !== nodeKindOf[actor]) {
    return fail('invalid', 'ACCESS.ROLE_NODE_MISMATCH', `${actor} belongs on a ${nodeKindOf[actor]} node.`, {
      errors: [
        {
          path: '/nodeCode',
          code: 'ACCESS.NODE_KIND_FOR_ROLE',
          params: { kind: nodeKindOf[actor], role: actor },
          message: `must be a ${nodeKindOf[actor]} for ${actor}`,
        },
      ],
    });
  }
  return ok(node.value);
}

/** The nodes of the viewer's subtree by id. */
export async function managedNodes(db: Db, viewer: Principal): Promise<Map<string, network.NetworkNode>> {
  const map = new Map<string, network.NetworkNode>();
  let cursor: string | undefined;
  do {
    const page = await network.listNodes(db, viewer, { limit: 200, cursor });
    if (!page.ok) break;
    for (const n of page.value.items) if (network.isWithin(n.path, viewer.nodePath)) map.set(n.id, n);
    cursor = page.value.nextCursor ?? undefined;
  } while (cursor);
  return map;
}

/** The nodes of the viewer's subtree: id → code. */
export async function subtreeNodes(db: Db, viewer: Principal): Promise<Map<string, string>> {
  return new Map([...(await managedNodes(db, viewer))].map(([id, n]) => [id, n.code]));
}
