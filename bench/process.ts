/**
 * What the out-of-process benchmarks share: an Omnihub process started as `npm start` starts it, pinned to
 * its own core where `taskset` exists, and the CPU and memory it and PostgreSQL's backends spend, read from
 * /proc. The load generator (the bench process) is pinned to another core, so neither is charged the
 * other's CPU.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { buildServer, serverBundle } from '../scripts/build-server.ts';

const CLOCK_TICKS = 100;

/** utime + stime of a process, in ms (/proc/<pid>/stat fields 14 and 15). */
export function cpuMsOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/**
 * Resident memory of a process in MB: now (VmRSS), its peak (VmHWM), and now's split between the process's
 * own memory (RssAnon: heaps, compiled code) and mapped files (RssFile: the node binary and libraries,
 * shared with every other process running them).
 */
export function rssMbOf(pid: number): { now: number; peak: number; anon: number; file: number } {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    return {
      now: kb('VmRSS') / 1024,
      peak: kb('VmHWM') / 1024,
      anon: kb('RssAnon') / 1024,
      file: kb('RssFile') / 1024,
    };
  } catch {
    return { now: 0, peak: 0, anon: 0, file: 0 };
  }
}

/** The processes whose parent is `pid` (cluster workers), from /proc. */
export function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === pid) children.push(Number(entry));
    } catch {}
  }
  return children;
}

/** The CPU of every PostgreSQL backend serving `database` (their process titles name it). */
export function backendsCpuMs(database: string): number {
  let total = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline: string;
    try {
      cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (cmdline.startsWith('postgres: ') && cmdline.includes(` ${database} `))
      total += cpuMsOf(Number(entry));
  }
  return total;
}

/** Pins a process and all its threads to `cpus` (e.g. "1" or "0-1"); false where taskset is missing. */
export function taskset(pid: number, cpus: number | string): boolean {
  try {
    execFileSync('taskset', ['-a', '-cp', String(cpus), String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export interface Omnihub {
  child: ChildProcess;
  base: string;
  /** The processes serving requests: the child, or its cluster workers with --processes N. */
  servers: () => number[];
}

/**
 * The Omnihub process with the demo network, started as `npm start` starts it: on the PostgreSQL server at
 * `url`, or on the embedded database in `dataDir` when `url` is null. `extraArgs` are more start-up
 * options (e.g. `--processes 2`).
 */
export async function startOmnihub(
  url: string | null,
  dataDir: string,
  extraArgs: string[] = [],
): Promise<Omnihub> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LOG_LEVEL: 'warn',
    OMNIHUB_SECRET_KEY: randomBytes(32).toString('base64'),
  };
  if (url) env.DATABASE_URL = url;
  else delete env.DATABASE_URL;
  const child = spawn(
    process.execPath,
    [await buildServer(), '--data-dir', dataDir, '--port', '0', '--demo', ...extraArgs],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const base = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Omnihub is running at (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!.replace(/\/$/, ''));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`Omnihub exited with ${code}:\n${output}`)));
  });
  return {
    child,
    base,
    servers: () => {
      const workers = childrenOf(child.pid!).filter((pid) => {
        try {
          return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(serverBundle);
        } catch {
          return false;
        }
      });
      return workers.length ? workers : [child.pid!];
    },
  };
}

/** Stops an Omnihub started by `startOmnihub` and waits for it to exit. */
export async function stopOmnihub(omnihub: Omnihub | undefined): Promise<void> {
  if (!omnihub || omnihub.child.exitCode !== null) return;
  const exited = new Promise((resolve) => omnihub.child.once('exit', resolve));
  omnihub.child.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
  if (omnihub.child.exitCode === null) omnihub.child.kill('SIGKILL');
}
