import type { FastifyReply, FastifyRequest } from 'fastify';

/** Server-sent events (text/event-stream) on a hijacked reply. */
export interface EventStream {
  send(event: string, data: unknown): void;
  /** Called once when the client goes away or the server closes the stream. */
  onClose(fn: () => void): void;
  close(): void;
}

const HEARTBEAT_MS = 20_000;

/**
 * Opens the stream: proxies are told not to buffer, the browser to retry after `retryMs`, and a comment
 * line every 20 s keeps idle connections from being cut.
 */
export function openEventStream(
  request: FastifyRequest,
  reply: FastifyReply,
  opts: { retryMs?: number } = {},
): EventStream {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-request-id': request.id,
  });
  raw.write(`retry: ${opts.retryMs ?? 5000}\n\n`);
  const closers: (() => void)[] = [];
  let closed = false;
  const heartbeat = setInterval(() => raw.write(': ping\n\n'), HEARTBEAT_MS);
  const finish = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    for (const fn of closers) fn();
  };
  request.raw.on('close', finish);
  raw.on('close', finish);
  return {
    send(event, data) {
      if (closed) return;
      raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    onClose(fn) {
      if (closed) fn();
      else closers.push(fn);
    },
    close() {
      finish();
      raw.end();
    },
  };
}
