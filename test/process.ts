import { type ChildProcess, spawn } from 'node:child_process';
import { serverBundle } from '../scripts/build-server.ts';

/**
 * `npm start` as a newcomer runs it: a real process running the server's bundle (built once for the run by
 * test/global-setup.ts, as `npm start`'s prestart builds it), a data dir, signals.
 */
export function start(dataDir: string, extraEnv: Record<string, string> = {}, extraArgs: string[] = []) {
  const child = spawn(process.execPath, [serverBundle, '--data-dir', dataDir, '--port', '0', ...extraArgs], {
    env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'warn', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Omnihub is running at (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
  return { child, url, output: () => output };
}

export const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
