import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  deliveryId: string;
  event: string;
  signature: string;
  contentType: string;
  body: string;
  json: any;
  /** The status this receiver answered. */
  answered: number;
  startedAt: number;
  endedAt: number;
}

export type Answer = (n: number, body: any) => { status: number; delayMs?: number; body?: string };

/**
 * A partner's webhook endpoint on 127.0.0.1. It starts DOWN (its port is reserved but nothing listens, so
 * connections are refused); `up()` starts answering with `answer`, which may be changed at any time.
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  answer: Answer = () => ({ status: 200 });
  /** Requests that reached the receiver, answered or not yet: the `n` given to `answer`. */
  private arrivals = 0;
  private server: http.Server | undefined;

  private constructor(readonly port: number) {}

  get url() {
    return `http://127.0.0.1:${this.port}/hooks/omnihub`;
  }

  static async reserve(): Promise<WebhookReceiver> {
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    return new WebhookReceiver(port);
  }

  async up(answer?: Answer): Promise<this> {
    if (answer) this.answer = answer;
    const server = http.createServer((req, res) => {
      const startedAt = performance.now();
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json: any;
        try {
          json = JSON.parse(body);
        } catch {}
        const { status, delayMs, body: answer } = this.answer(this.arrivals++, json);
        const finish = () => {
          this.received.push({
            deliveryId: String(req.headers['x-omnihub-delivery'] ?? ''),
            event: String(req.headers['x-omnihub-event'] ?? ''),
            signature: String(req.headers['x-omnihub-signature'] ?? ''),
            contentType: String(req.headers['content-type'] ?? ''),
            body,
            json,
            answered: status,
            startedAt,
            endedAt: performance.now(),
          });
          if (res.destroyed) return;
          const headers = status >= 300 && status < 400 ? { location: 'http://127.0.0.1:9/elsewhere' } : {};
          res
            .writeHead(status, { 'content-type': 'text/plain', ...headers })
            .end(status === 204 ? undefined : (answer ?? `receiver says ${status}`));
        };
        if (delayMs) setTimeout(finish, delayMs);
        else finish();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    return this;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Requests this receiver accepted (2xx), i.e. what the partner's system actually took in. */
  accepted(): Received[] {
    return this.received.filter((r) => r.answered >= 200 && r.answered < 300);
  }

  /**
   * The accepted deliveries once each, as a partner who dedupes on X-Omnihub-Delivery sees them. Delivery is
   * at least once: a worker whose request timed out after the receiver answered sends the same delivery again
   * (it happens when a loaded test process stalls past the client timeout).
   */
  delivered(): Received[] {
    const seen = new Set<string>();
    return this.accepted().filter((r) => {
      if (seen.has(r.deliveryId)) return false;
      seen.add(r.deliveryId);
      return true;
    });
  }
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
