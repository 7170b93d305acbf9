/**
 * The audit log's rules: who acted, what changed, and how secrets are kept out of it. Pure.
 */

export type ActorKind = 'user' | 'client' | 'system';

/** Who made a change and from where: a signed-in user, an API client, or Omnihub itself (CLI, jobs). */
export interface AuditActor {
  kind: ActorKind;
  id: string | null;
  name: string;
  /** The user's role or the client's scope; null for the system. */
  role: string | null;
  /** The client's IP address as the server saw it; null outside a request. */
  address: string | null;
}

export const systemActor = (name = 'Omnihub'): AuditActor => ({
  kind: 'system',
  id: null,
  name,
  role: null,
  address: null,
});

/** What a change is about: the node it belongs to decides who sees the event (that node's admins and above). */
export interface AuditTarget {
  type: string;
  id: string;
  label: string;
}

export interface AuditScope {
  networkId: string;
  nodeId: string | null;
  nodeCode: string | null;
  nodePath: string;
}

export type Snapshot = Record<string, unknown> | null;

export interface AuditEntry {
  action: string;
  target: AuditTarget;
  before: Snapshot;
  after: Snapshot;
}

export const MASK = '••••••';

/**
 * Field names whose values are secrets wherever they appear: the log keeps that they were set or changed,
 * never the value. `accessKey` (an NF-e's public key) is not one; `key`, `appKey` and `*Token` are.
 */
export function isSecretName(name: string): boolean {
  const n = name.toLowerCase();
  return (
    /(password|passwordhash|secret|token|keyhash|privatekey|pfx|pfxbase64)$/.test(n) ||
    ['key', 'apikey', 'appkey', 'certificate', 'pairingcode', 'code_hash'].includes(n)
  );
}

/** Masks secret values at any depth; the shape stays, so a reader still sees that a secret was set or changed. */
export function maskSecrets(value: unknown, extraSecrets: readonly string[] = []): unknown {
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v, extraSecrets));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const secret = isSecretName(k) || extraSecrets.includes(k);
    out[k] = secret && v !== null && v !== undefined && v !== '' ? MASK : maskSecrets(v, extraSecrets);
  }
  return out;
}

/** JSON-safe copy (dates as ISO strings, undefined dropped), so what is stored is what is read back. */
export function plain(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

/** The fields whose values differ between two snapshots (a field absent on one side counts as null). */
export function changedFields(before: Snapshot, after: Snapshot): string[] {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  return [...keys]
    .filter((k) => JSON.stringify(before?.[k] ?? null) !== JSON.stringify(after?.[k] ?? null))
    .sort();
}

const cell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  // RFC 4180 quoting; a leading =, +, - or @ is prefixed so a spreadsheet never runs it as a formula.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r;]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

export interface AuditEventView {
  id: string;
  at: string;
  actor: AuditActor;
  action: string;
  target: AuditTarget & { nodeCode: string | null };
  before: Snapshot;
  after: Snapshot;
}

export const CSV_HEADER = [
  'at',
  'actor',
  'role',
  'address',
  'action',
  'target_type',
  'target',
  'node',
  'changes',
];

/** One CSV line: the changed fields as "field: before → after", one per line within the cell. */
export function csvLine(e: AuditEventView): string {
  const changes = changedFields(e.before, e.after)
    .map((f) => `${f}: ${JSON.stringify(e.before?.[f] ?? null)} → ${JSON.stringify(e.after?.[f] ?? null)}`)
    .join('\n');
  return [
    e.at,
    e.actor.name,
    e.actor.role,
    e.actor.address,
    e.action,
    e.target.type,
    e.target.label,
    e.target.nodeCode,
    changes,
  ]
    .map(cell)
    .join(',');
}
