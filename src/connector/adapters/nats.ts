import { connect } from 'nats';
import type { NatsSettings } from './settings.ts';
import type { Adapter } from './types.ts';

/**
 * NATS (issue 16 §1), outbound only: each record of the dataset is one JSON message on the subject, flushed
 * before the run ends; the server is OMNIHUB_NATS_URL. One ticket per run names the subject and the count.
 */
export const natsAdapter: Adapter = async (run) => {
  const s = run.settings as NatsSettings;
  const startedAt = new Date();
  const records = await run.dataset(s.source);
  const ticket = (status: 'processed' | 'failed', error?: string) =>
    run.tickets.record({
      networkId: run.networkId,
      direction: 'out',
      system: run.system,
      method: `publish ${s.subject}`,
      kind: 'interface.nats',
      moduleCode: run.code,
      url: run.natsUrl,
      latencyMs: Date.now() - startedAt.getTime(),
      request: JSON.stringify(records),
      status,
      error,
      startedAt,
    });
  if (!run.natsUrl) {
    // Said on the run, never silently skipped: the interface is bound to NATS but this process has none.
    const message = 'OMNIHUB_NATS_URL não configurado neste servidor: nada publicado';
    await ticket('failed', message);
    throw new Error(message);
  }
  try {
    const nc = await connect({ servers: run.natsUrl, timeout: 5_000, reconnect: false });
    try {
      for (const record of records) nc.publish(s.subject, JSON.stringify(record));
      await nc.flush();
    } finally {
      await nc.drain();
    }
  } catch (error) {
    const message = `NATS ${run.natsUrl}: ${(error as Error).message}`;
    await ticket('failed', message);
    throw new Error(message);
  }
  await ticket('processed');
  return { items: records.length, message: `${records.length} mensagem(ns) publicadas em ${s.subject}` };
};
