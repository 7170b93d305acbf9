import cluster, { type Worker } from 'node:cluster';

/**
 * Several Omnihub processes behind one port (`--processes N`, node:cluster): the primary forks them, keeps
 * N alive and stops them; it serves nothing itself. Each process listens on the same address and port;
 * the primary accepts the connections and hands them out in turn (cluster's round-robin, Node's default
 * except on Windows), so `--port 0` still gives one port to all of them.
 */

/** What the primary logs: pino's shape. */
export interface ClusterLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface ClusterOptions {
  processes: number;
  logger: ClusterLog;
  /** Added to every process's environment. */
  env?: Record<string, string>;
  /** The wait before a process that died is started again (default 1 s); it doubles while they keep dying. */
  restartDelayMs?: number;
  /** The longest wait before a restart (default 30 s). */
  maxRestartDelayMs?: number;
  /** A process that lived this long dies "for the first time" again: its restart waits restartDelayMs (default 60 s). */
  stableAfterMs?: number;
  /** How long stop() lets a process finish its requests and jobs before killing it (default 15 s). */
  stopTimeoutMs?: number;
}

export interface Cluster {
  /** Where the processes serve, once every one of them listens; rejected if one exits before that. */
  readonly listening: Promise<string>;
  /** Asks every process to finish (as SIGTERM would) and waits for them: true if each one exited with 0. */
  stop(): Promise<boolean>;
}

/** The primary's and the processes' messages, tagged so that nothing else on the channel is taken for one. */
type Message = { omnihub: 'listening'; url: string } | { omnihub: 'stop' };

function isMessage<K extends Message['omnihub']>(
  value: unknown,
  kind: K,
): value is Extract<Message, { omnihub: K }> {
  return typeof value === 'object' && value !== null && (value as { omnihub?: unknown }).omnihub === kind;
}

interface Slot {
  worker: Worker | undefined;
  startedAt: number;
  /** Deaths in a row, each soon after its start: the next restart waits restartDelayMs × 2^quickDeaths. */
  quickDeaths: number;
  restart: NodeJS.Timeout | undefined;
}

/** In the primary: forks `processes` copies of this program (same arguments, same Node flags). */
export function startCluster(opts: ClusterOptions): Cluster {
  const { processes, logger } = opts;
  const firstDelay = opts.restartDelayMs ?? 1_000;
  const maxDelay = opts.maxRestartDelayMs ?? 30_000;
  const stableAfter = opts.stableAfterMs ?? 60_000;
  const stopTimeout = opts.stopTimeoutMs ?? 15_000;

  const slots: Slot[] = Array.from({ length: processes }, () => ({
    worker: undefined,
    startedAt: 0,
    quickDeaths: 0,
    restart: undefined,
  }));
  const listeningOnce = new Set<Slot>();
  let serving = false;
  let stopping: Promise<boolean> | undefined;
  let cleanly = true;
  let allExited = () => {};
  let resolveListening: (url: string) => void = () => {};
  let rejectListening: (error: Error) => void = () => {};
  const listening = new Promise<string>((resolve, reject) => {
    resolveListening = resolve;
    rejectListening = reject;
  });

  const fork = (slot: Slot) => {
    slot.restart = undefined;
    slot.startedAt = Date.now();
    const worker = cluster.fork(opts.env ?? {});
    slot.worker = worker;
    worker.on('message', (message: unknown) => {
      if (!isMessage(message, 'listening')) return;
      if (serving) {
        logger.info({ processPid: worker.process.pid }, 'the Omnihub process started again is serving');
        return;
      }
      listeningOnce.add(slot);
      if (listeningOnce.size === processes) {
        serving = true;
        resolveListening(message.url);
      }
    });
    worker.on('exit', (code, signal) => {
      if (slot.worker === worker) slot.worker = undefined;
      const pid = worker.process.pid;
      if (stopping) {
        if (code !== 0) cleanly = false;
        if (slots.every((s) => !s.worker)) allExited();
        return;
      }
      const how = signal ? `signal ${signal}` : `code ${code}`;
      // Before every process has served once, a death is a failed start (a bad database, a taken port):
      // starting it again would fail the same way, so the start fails.
      if (!serving) {
        rejectListening(new Error(`an Omnihub process (pid ${pid}) exited with ${how} before serving`));
        return;
      }
      if (Date.now() - slot.startedAt >= stableAfter) slot.quickDeaths = 0;
      const delay = Math.min(maxDelay, firstDelay * 2 ** slot.quickDeaths);
      slot.quickDeaths++;
      logger.warn(
        { processPid: pid, code, signal, restartInMs: delay },
        `an Omnihub process died (${how}); another one starts in ${delay} ms`,
      );
      slot.restart = setTimeout(() => fork(slot), delay);
    });
  };

  for (const slot of slots) fork(slot);

  return {
    listening,
    stop() {
      stopping ??= new Promise<boolean>((resolve) => {
        for (const slot of slots) clearTimeout(slot.restart);
        const live = slots.flatMap((s) => (s.worker ? [s.worker] : []));
        if (live.length === 0) {
          resolve(cleanly);
          return;
        }
        const kill = setTimeout(() => {
          for (const { worker } of slots) {
            if (!worker) continue;
            logger.error(
              { processPid: worker.process.pid },
              `an Omnihub process did not stop within ${stopTimeout} ms`,
            );
            worker.process.kill('SIGKILL');
          }
        }, stopTimeout);
        allExited = () => {
          clearTimeout(kill);
          resolve(cleanly);
        };
        for (const worker of live) {
          // A message rather than a signal: a process that already has SIGINT from the terminal (Ctrl-C reaches
          // the whole process group) or SIGTERM from systemd would take a second signal as "exit now".
          const message: Message = { omnihub: 'stop' };
          if (worker.isConnected())
            worker.send(message, (error: Error | null) => {
              if (error) worker.process.kill('SIGTERM');
            });
          else worker.process.kill('SIGTERM');
        }
      });
      return stopping;
    },
  };
}

/** Whether this process is one of a cluster's (forked by startCluster). */
export const inCluster = (): boolean => cluster.isWorker;

/** In a cluster's process: tells the primary it serves at `url`. */
export function reportListening(url: string): void {
  const message: Message = { omnihub: 'listening', url };
  if (cluster.isWorker) process.send?.(message);
}

/** In a cluster's process: `stop` runs each time the primary asks it to finish. */
export function onStopRequest(stop: () => void): void {
  if (!cluster.isWorker) return;
  process.on('message', (message: unknown) => {
    if (isMessage(message, 'stop')) stop();
  });
}
