import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A NATS server with JetStream of the test's own (the machine's Debian `nats-server`), on a free port with
 * its store in a temporary folder, so a test can stop it and start it again with its streams intact.
 *
 *   const nats = await startNatsServer();
 *   nats.url          // nats://127.0.0.1:<port>
 *   await nats.stop();  await nats.start();   // same port, same JetStream store
 *   await nats.close()  // stops it and removes the store
 *
 * Without the binary this fails with what to install: CI installs it (`.ci/run`), a skipped test proves nothing.
 */
export const NATS_SERVER_BIN = process.env.NATS_SERVER_BIN ?? '/usr/sbin/nats-server';

export interface NatsServer {
  url: string;
  port: number;
  start(): Promise<void>;
  stop(): Promise<void>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startNatsServer(): Promise<NatsServer> {
  if (!fs.existsSync(NATS_SERVER_BIN))
    throw new Error(
      `${NATS_SERVER_BIN} is missing: the stock feed tests need a NATS server with JetStream (Debian: apt-get install nats-server)`,
    );
  const port = await freePort();
  const storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnihub-nats-'));
  let child: ChildProcess | undefined;

  async function start() {
    if (child) return;
    const proc = spawn(NATS_SERVER_BIN, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child = proc;
    let log = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`nats-server did not start:\n${log}`)), 15_000);
      proc.stderr!.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes('Server is ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`nats-server exited (${code}):\n${log}`));
      });
    });
  }

  async function stop() {
    const proc = child;
    if (!proc) return;
    child = undefined;
    if (proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    });
  }

  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    start,
    stop,
    async close() {
      await stop();
      fs.rmSync(storeDir, { recursive: true, force: true });
    },
  };
}
