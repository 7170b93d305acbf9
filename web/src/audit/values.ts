import type { AuditEvent, NetworkNode } from '../api/types.ts';

type Snapshot = AuditEvent['before'];

/** The target types the "O quê" filter offers (each is the prefix of its actions: parameter.set, …). */
export const targetTypes = [
  'node',
  'user',
  'api_client',
  'webhook',
  'parameter',
  'fiscal_settings',
  'fiscal_operation',
  'whatsapp_account',
  'delivery_experience',
  'carrier_transit_times',
  'product',
  'price',
  'promotion',
  'session',
] as const;

/** How the server writes a masked secret, and one replaced by another (src/audit/domain.ts MASK, MASK_CHANGED). */
const MASK = '••••••';
const MASK_CHANGED = '•••••• (changed)';

/** The fields whose values differ between before and after (absent counts as null), sorted. */
export function changedFields(before: Snapshot, after: Snapshot): string[] {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  return [...keys]
    .filter((k) => JSON.stringify(before?.[k] ?? null) !== JSON.stringify(after?.[k] ?? null))
    .sort();
}

export type DisplayValue =
  | { kind: 'empty' }
  | { kind: 'masked' }
  | { kind: 'maskedChanged' }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'text'; text: string };

/** One field of a snapshot as the before/after table shows it. */
export function displayValue(snapshot: Snapshot, field: string): DisplayValue {
  const v = snapshot?.[field];
  if (v === null || v === undefined || v === '') return { kind: 'empty' };
  if (v === MASK) return { kind: 'masked' };
  if (v === MASK_CHANGED) return { kind: 'maskedChanged' };
  if (typeof v === 'boolean') return { kind: 'boolean', value: v };
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return { kind: 'text', text: v.join(', ') };
  return { kind: 'text', text: typeof v === 'string' ? v : JSON.stringify(v) };
}

/** The node and everything below it, in tree order: the nodes whose events an admin may filter on. */
export function subtreeOf(nodes: readonly NetworkNode[], rootCode: string): NetworkNode[] {
  const children = new Map<string, NetworkNode[]>();
  for (const n of nodes) {
    if (n.parentCode === null) continue;
    children.set(n.parentCode, [...(children.get(n.parentCode) ?? []), n]);
  }
  const root = nodes.find((n) => n.code === rootCode);
  const out: NetworkNode[] = [];
  const walk = (n: NetworkNode) => {
    out.push(n);
    for (const c of children.get(n.code) ?? []) walk(c);
  };
  if (root) walk(root);
  return out;
}
