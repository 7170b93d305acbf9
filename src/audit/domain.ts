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
  return maskAgainst(value, undefined, extraSecrets);
}

/**
 * What a replaced secret shows on the "after" side: both sides masked alike would hide that it changed,
 * which is the one thing the log must say about a secret.
 */
export const MASK_CHANGED = '•••••• (changed)';

const isSet = (v: unknown) => v !== null && v !== undefined && v !== '';

/** Masks `value`, comparing its secrets with the same fields of `other` (the "before") to mark those replaced. */
function maskAgainst(value: unknown, other: unknown, extra: readonly string[]): unknown {
  if (Array.isArray(value))
    return value.map((v, i) => maskAgainst(v, Array.isArray(other) ? other[i] : undefined, extra));
  if (value === null || typeof value !== 'object') return value;
  const o =
    other !== null && typeof other === 'object' && !Array.isArray(other)
      ? (other as Record<string, unknown>)
      : undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (isSecretName(k) || extra.includes(k)) {
      const was = o?.[k];
      out[k] = !isSet(v) ? v : isSet(was) && JSON.stringify(was) !== JSON.stringify(v) ? MASK_CHANGED : MASK;
    } else {
      out[k] = maskAgainst(v, o?.[k], extra);
    }
  }
  return out;
}

/** Both snapshots of a change masked; a secret set on both sides with different values shows MASK_CHANGED after. */
export function maskChange(
  before: Snapshot,
  after: Snapshot,
  extraSecrets: readonly string[] = [],
): { before: Snapshot; after: Snapshot } {
  return {
    before: before === null ? null : (maskAgainst(before, undefined, extraSecrets) as Snapshot),
    after: after === null ? null : (maskAgainst(after, before, extraSecrets) as Snapshot),
  };
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

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** ISO 8601 date-time: minutes required, seconds and fraction optional, offset optional (none: São Paulo). */
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;
/** São Paulo has kept UTC−3 all year since 2019 (Decreto 9.772/2019 ended its summer time). */
const SAO_PAULO = '-03:00';

const realDay = (y: number, m: number, d: number) => {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
};

/**
 * One end of a period as an instant: a bare date is that São Paulo day (from its start; as `to`, up to its
 * end, inclusive); a date-time without an offset is São Paulo time. Anything else is null: the lax
 * `Date` parser would read "1" as 2001 and roll 2026-02-30 over into March.
 */
export function parseInstant(value: string, end: boolean): Date | null {
  const v = value.trim();
  const day = DATE.exec(v);
  if (day) {
    if (!realDay(Number(day[1]), Number(day[2]), Number(day[3]))) return null;
    const start = new Date(`${v}T00:00:00${SAO_PAULO}`);
    return end ? new Date(start.getTime() + 86_400_000) : start;
  }
  const at = DATE_TIME.exec(v);
  if (!at) return null;
  if (!realDay(Number(at[1]), Number(at[2]), Number(at[3]))) return null;
  if (Number(at[4]) > 23 || Number(at[5]) > 59 || Number(at[6] ?? 0) > 59) return null;
  const d = new Date(at[7] ? v.replace(' ', 'T') : `${v.replace(' ', 'T')}${SAO_PAULO}`);
  return Number.isNaN(d.getTime()) ? null : d;
}
