import type { TicketRecorder } from '../../platform/tickets/service.ts';
import type { InterfaceDirection, InterfaceSource } from '../domain.ts';
import type { DatasetRecord } from './formats.ts';

/** What an adapter is given for one run of one interface. */
export interface AdapterRun {
  networkId: string;
  code: number;
  system: string;
  direction: InterfaceDirection;
  settings: Record<string, unknown>;
  /** Builds an outbound dataset (stock, orders changed since the last successful run). */
  dataset(source: InterfaceSource): Promise<DatasetRecord[]>;
  tickets: TicketRecorder;
  /** OMNIHUB_NATS_URL. */
  /** OMNIHUB_NATS_URL; undefined when the process has no NATS server. */
  natsUrl: string | undefined;
}

/** How a run ended when the adapter did its work; a failure is thrown as an Error whose message is shown. */
export interface AdapterResult {
  items: number;
  message: string;
}

export type Adapter = (run: AdapterRun) => Promise<AdapterResult>;
