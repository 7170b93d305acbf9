import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local VTEX Logistics inventory endpoint for the stock feed's tests: `PUT
 * /api/logistics/pvt/inventory/skus/{skuId}/warehouses/{warehouseId}` with the AppKey/AppToken headers, answered
 * as VTEX does (200 with `true`; 401/403 for wrong credentials; 400 for a body it refuses).
 *
 *   const vtex = await startVtexInventoryServer({ appKey: 'k', appToken: 't' });
 *   vtex.url            // settings.baseUrl
 *   vtex.quantities     // `${skuId}@${warehouseId}` → the last quantity set
 *   vtex.calls          // every call in order: {skuId, warehouseId, body, status}
 *   vtex.failNext = 2   // the next two calls answer 500
 */
export interface InventoryCall {
  skuId: string;
  warehouseId: string;
  body: unknown;
  status: number;
}

export interface VtexInventoryServer {
  url: string;
  quantities: Map<string, number>;
  calls: InventoryCall[];
  failNext: number;
  close(): Promise<void>;
}

const PATH = /^\/api\/logistics\/pvt\/inventory\/skus\/([^/]+)\/warehouses\/([^/]+)$/;

export async function startVtexInventoryServer(creds: {
  appKey: string;
  appToken: string;
}): Promise<VtexInventoryServer> {
  const state: Omit<VtexInventoryServer, 'url' | 'close'> = { quantities: new Map(), calls: [], failNext: 0 };
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', () => {
      const match = PATH.exec(req.url ?? '');
      const answer = (status: number, body: unknown) => {
        if (match)
          state.calls.push({
            skuId: decodeURIComponent(match[1]!),
            warehouseId: decodeURIComponent(match[2]!),
            body: safeJson(raw),
            status,
          });
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (!match || req.method !== 'PUT') return answer(404, { error: { message: 'Not found' } });
      if (req.headers['x-vtex-api-appkey'] !== creds.appKey) return answer(401, { error: 'Unauthorized' });
      if (req.headers['x-vtex-api-apptoken'] !== creds.appToken) return answer(403, { error: 'Forbidden' });
      if (state.failNext > 0) {
        state.failNext -= 1;
        return answer(500, { error: { message: 'Internal error' } });
      }
      const body = safeJson(raw) as { quantity?: unknown; unlimitedQuantity?: unknown } | undefined;
      if (
        !body ||
        !Number.isInteger(body.quantity) ||
        (body.quantity as number) < 0 ||
        body.unlimitedQuantity !== false
      )
        return answer(400, { error: { message: 'Invalid quantity' } });
      state.quantities.set(
        `${decodeURIComponent(match[1]!)}@${decodeURIComponent(match[2]!)}`,
        body.quantity as number,
      );
      return answer(200, true);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
