import type { FieldError } from '../platform/errors.ts';
import { type Definition, type NodeKind, registry } from './registry.ts';

export type { Choice, Definition, NodeKind, ParameterGroup, ParameterType } from './registry.ts';
export { nodeKinds, parameterGroups, parameterTypes } from './registry.ts';

type Registry = typeof registry;
export type ParameterCode = keyof Registry & string;

type ValueOfDefinition<D> = D extends { type: 'boolean' }
  ? boolean
  : D extends { type: 'integer' }
    ? number
    : D extends { type: 'enum'; values: readonly { value: infer V }[] }
      ? V
      : D extends { type: 'list' }
        ? readonly string[]
        : string;

/** The value a parameter resolves to; `null` only for parameters whose default is "not set". */
export type ParameterValue<C extends ParameterCode> =
  | ValueOfDefinition<Registry[C]>
  | (null extends Registry[C]['default'] ? null : never);

export type CodedDefinition = Definition & { readonly code: ParameterCode };

const byCode = registry as Readonly<Record<string, Definition>>;

export const isParameterCode = (code: string): code is ParameterCode => Object.hasOwn(byCode, code);

export function definitionOf(code: string): CodedDefinition | undefined {
  return isParameterCode(code) ? { code, ...byCode[code]! } : undefined;
}

/** Every definition, in registry order (the seeds' numeric codes first). */
export const definitions: readonly CodedDefinition[] = Object.keys(byCode).map((code) => definitionOf(code)!);

/**
 * What a store's POS reads of its own store's parameters (seeds 000 §2: 9253 "baixa para o PDV", the
 * service addresses 9254 and 9242, 9285 online look-up): the POS key reads these and only these, with the
 * values the store's flows use (a private value set above the store included: the POS is configured by it).
 */
export const posParameters: readonly ParameterCode[] = ['9253', '9254', '9242', '9285'];

export const allowedAt = (def: Definition, kind: NodeKind): boolean => def.scope.includes(kind);

export type { FieldError };

const listFormat = new Intl.ListFormat('en', { type: 'disjunction' });
const quoted = (choices: readonly { value: string }[]) =>
  listFormat.format(choices.map((c) => JSON.stringify(c.value)));

/** An image kept in a parameter (a logo): base64 of at most 512 KB. */
const MAX_IMAGE_DATA = 700_000;
const IMAGE_DATA = /^data:image\/(png|jpeg);base64,[A-Za-z0-9+/]+={0,2}$/;

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

// PostgreSQL's jsonb refuses NUL and lone surrogates; other control characters have no use in a setting.
const UNPRINTABLE = /[\p{Cc}\p{Cs}]/u;

const printable = (value: unknown): boolean =>
  typeof value === 'string'
    ? !UNPRINTABLE.test(value)
    : !Array.isArray(value) || value.every((item) => typeof item !== 'string' || !UNPRINTABLE.test(item));

/** Errors of a value against its definition, as JSON pointers under `/value`; empty when it fits. */
export function validateValue(def: Definition, value: unknown): FieldError[] {
  const at = (code: string, message: string, params?: FieldError['params']): FieldError[] => [
    { path: '/value', code, ...(params && { params }), message },
  ];
  if (value === null || value === undefined) {
    return at(
      'PARAMETER.VALUE_REQUIRED',
      'is required; to go back to the inherited value, remove the value at this node',
    );
  }
  if (!printable(value)) return at('PARAMETER.CONTROL_CHARACTERS', 'must not contain control characters');
  switch (def.type) {
    case 'boolean':
      if (typeof value !== 'boolean') return at('PARAMETER.NOT_BOOLEAN', 'must be true or false');
      break;
    case 'integer':
      if (typeof value !== 'number' || !Number.isSafeInteger(value))
        return at('PARAMETER.NOT_INTEGER', 'must be an integer');
      if (def.min !== undefined && value < def.min)
        return at('PARAMETER.BELOW_MIN', `must be at least ${def.min}`, { min: def.min });
      if (def.max !== undefined && value > def.max)
        return at('PARAMETER.ABOVE_MAX', `must be at most ${def.max}`, { max: def.max });
      break;
    case 'string':
      if (typeof value !== 'string') return at('PARAMETER.NOT_STRING', 'must be a string');
      if (value.length === 0) return at('PARAMETER.EMPTY', 'must not be empty');
      if (value.length > (def.maxLength ?? 200))
        return at('PARAMETER.TOO_LONG', `must have at most ${def.maxLength ?? 200} characters`, {
          maxLength: def.maxLength ?? 200,
        });
      if (def.pattern && !new RegExp(def.pattern).test(value)) {
        return at('PARAMETER.PATTERN', `must be ${def.patternHint ?? `text matching ${def.pattern}`}`);
      }
      break;
    case 'url':
      if (def.imageData && typeof value === 'string' && value.startsWith('data:')) {
        if (value.length > MAX_IMAGE_DATA || !IMAGE_DATA.test(value))
          return at(
            'PARAMETER.NOT_IMAGE_DATA',
            `must be a data:image/png;base64 or data:image/jpeg;base64 URL of at most ${MAX_IMAGE_DATA} characters`,
            { maxLength: MAX_IMAGE_DATA },
          );
        break;
      }
      if (typeof value !== 'string' || value.length > 2048 || !isHttpUrl(value)) {
        return at('PARAMETER.NOT_URL', 'must be an absolute http or https URL of at most 2048 characters');
      }
      break;
    case 'enum':
      if (typeof value !== 'string' || !def.values.some((c) => c.value === value)) {
        return at('PARAMETER.NOT_ALLOWED', `must be one of ${quoted(def.values)}`, {
          allowedValues: def.values.map((c) => c.value),
        });
      }
      break;
    case 'list': {
      if (!Array.isArray(value)) return at('PARAMETER.NOT_LIST', 'must be an array of strings');
      const max = def.maxItems ?? 50;
      if (value.length > max)
        return at('PARAMETER.TOO_MANY_ITEMS', `must have at most ${max} items`, { maxItems: max });
      const errors: FieldError[] = [];
      value.forEach((item: unknown, i) => {
        const path = `/value/${i}`;
        if (typeof item !== 'string')
          errors.push({ path, code: 'PARAMETER.NOT_STRING', message: 'must be a string' });
        else if (def.items && !def.items.some((c) => c.value === item)) {
          errors.push({
            path,
            code: 'PARAMETER.NOT_ALLOWED',
            params: { allowedValues: def.items.map((c) => c.value) },
            message: `must be one of ${quoted(def.items)}`,
          });
        } else if (def.pattern && !new RegExp(def.pattern).test(item)) {
          errors.push({
            path,
            code: 'PARAMETER.PATTERN',
            message: `must be ${def.patternHint ?? `text matching ${def.pattern}`}`,
          });
        } else if (value.indexOf(item) !== i) {
          errors.push({ path, code: 'PARAMETER.ITEM_REPEATED', message: 'repeats an earlier item' });
        }
      });
      if (errors.length) return errors;
      break;
    }
  }
  const problem = def.check?.(value as never);
  return problem ? at('PARAMETER.INVALID', problem) : [];
}

/** What the resolver needs of a node; callers pass their own node type and get it back as the source. */
export interface NodeRef {
  readonly kind: NodeKind;
}

export interface ChainLink<N extends NodeRef> {
  readonly node: N;
  /** Values set at this node, by parameter code. */
  readonly values: Readonly<Record<string, unknown>>;
}

export interface Effective<N extends NodeRef, V = unknown> {
  value: V;
  /** The node whose value applies, or null when it is the definition's default. */
  source: N | null;
}

/**
 * The effective value at the last node of `chain` (ordered root → … → node): the nearest node holding a
 * value wins, else the default. A stored value that no longer fits the definition (a registry change made
 * it invalid or moved the scope) is skipped rather than handed to callers that trust the type.
 */
export function resolveEffective<N extends NodeRef>(
  code: string,
  def: Definition,
  chain: readonly ChainLink<N>[],
): Effective<N> {
  for (let i = chain.length - 1; i >= 0; i--) {
    const link = chain[i]!;
    if (!Object.hasOwn(link.values, code) || !allowedAt(def, link.node.kind)) continue;
    const value = link.values[code];
    if (validateValue(def, value).length === 0) return { value, source: link.node };
  }
  return { value: def.default, source: null };
}

/** Days from acceptance to the expected invoicing date (DS_LST_DTPREV_OMNI) for a delivery type. */
export function invoiceLeadDays(list: readonly string[], deliveryType: 'pickup' | 'ship'): number {
  const entry = list.find((item) => item.startsWith(`${deliveryType}:`));
  return entry ? Number(entry.slice(deliveryType.length + 1)) : 0;
}
