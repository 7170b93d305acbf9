import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { code128, drawBars, renderPdf } from '../src/platform/pdf.ts';

/**
 * What the carriers' local servers (test/correios-server, test/melhor-envio-server) share: the failure
 * switch, the HTTP plumbing and a real label PDF.
 */

/**
 * How the next requests fail: `http500` answers 500, `hang` never answers, `garbage` answers 200 with a body
 * that is not JSON, `unauthorized` answers 401 to every call (the token's too); `none` answers as documented.
 */
export type Failure = 'none' | 'http500' | 'hang' | 'garbage' | 'unauthorized';

export interface Exchange {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: http.IncomingHttpHeaders;
  readonly raw: Buffer;
  readonly body: any;
}

export type Reply = { status: number; json?: unknown; body?: Buffer; type?: string };

export async function listen(
  handle: (ex: Exchange) => Reply | Promise<Reply>,
  failure: () => Failure,
  log: Exchange[],
): Promise<{ url: string; close(): Promise<void> }> {
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://local');
      const raw = Buffer.concat(chunks);
      let body: any;
      try {
        body = raw.length ? JSON.parse(raw.toString('utf8')) : undefined;
      } catch {
        body = undefined;
      }
      const ex: Exchange = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        raw,
        body,
      };
      log.push(ex);
      const mode = failure();
      if (mode === 'hang') {
        hanging.add(res);
        return;
      }
      if (mode === 'http500') return send(res, { status: 500, json: { msgs: ['Erro interno'] } });
      if (mode === 'garbage')
        return send(res, { status: 200, body: Buffer.from('<html>gateway</html>'), type: 'text/html' });
      if (mode === 'unauthorized') return send(res, { status: 401, json: { msgs: ['Não autorizado'] } });
      try {
        send(res, await handle(ex));
      } catch (error) {
        send(res, { status: 500, json: { msgs: [String(error)] } });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: http.ServerResponse, reply: Reply) {
  if (reply.body) {
    res.writeHead(reply.status, { 'content-type': reply.type ?? 'application/octet-stream' });
    res.end(reply.body);
    return;
  }
  res.writeHead(reply.status, { 'content-type': 'application/json' });
  res.end(reply.json === undefined ? '' : JSON.stringify(reply.json));
}

/** A real, small label PDF (10 × 15 cm) with the carrier's name and the tracking code as text. */
export function labelPdf(carrier: string, trackingCode: string): Promise<Buffer> {
  return renderPdf(`Etiqueta ${trackingCode}`, (doc) => {
    doc.addPage({ size: [283, 425] });
    doc.fontSize(14).text(carrier, 20, 20);
    doc.fontSize(18).text(trackingCode, 20, 60);
    // A carrier's label carries the object's code as Code-128, as the Correios' and the gateways' do.
    drawBars(doc, code128(trackingCode), 20, 100, 60);
  });
}
