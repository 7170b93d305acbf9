import type { ParseKeys, TFunction } from 'i18next';
import type { EffectiveParameter, NodeKind, ParameterDefinition } from '../api/types.ts';

/**
 * Parameter values in a clerk's words, and the editor's draft ↔ value, checked here with the registry's
 * own limits (GET /api/v1/parameters) so a mistake is explained before anything is sent.
 */

const integer = new Intl.NumberFormat('pt-BR', { maximumFractionDigits: 0 });

const labelOf = (def: ParameterDefinition, value: string) =>
  def.allowedValues?.find((c) => c.value === value)?.label ?? value;

export function describeValue(t: TFunction, def: ParameterDefinition, value: unknown): string {
  if (value === null || value === undefined) return t('network.parameters.value.notSet');
  switch (def.type) {
    case 'boolean':
      return value ? t('network.parameters.value.yes') : t('network.parameters.value.no');
    case 'integer':
      return typeof value === 'number' ? integer.format(value) : String(value);
    case 'enum':
      return labelOf(def, String(value));
    case 'list': {
      const items = Array.isArray(value) ? value.map(String) : [String(value)];
      return items.length === 0
        ? t('network.parameters.value.emptyList')
        : items.map((v) => labelOf(def, v)).join(', ');
    }
    default:
      return String(value);
  }
}

/** "Definido nesta loja" / "Herdado de Central SUL" / "Padrão do sistema". */
export function describeSource(t: TFunction, p: EffectiveParameter, nodeCode: string): string {
  if (!p.source) return t('network.parameters.source.default');
  if (p.source.nodeCode === nodeCode) return t(`network.parameters.source.here_${p.source.kind}`);
  return t('network.parameters.source.inherited', {
    kind: t(`nodeKinds.${p.source.kind}`),
    code: p.source.nodeCode,
  });
}

/** The effective value as shown in the table: hidden values name only where they are set. */
export function describeEffective(t: TFunction, def: ParameterDefinition, p: EffectiveParameter): string {
  if (p.hidden && p.source) {
    return t('network.parameters.value.hidden', {
      kind: t(`nodeKinds.${p.source.kind}`),
      code: p.source.nodeCode,
    });
  }
  return describeValue(t, def, p.value);
}

export const scopeText = (t: TFunction, kinds: readonly NodeKind[]) =>
  kinds.map((k) => t(`network.parameters.scopeKinds.${k}`)).join(', ');

/** What the editor holds: text for most types, the ticked items for a list of fixed choices. */
export type Draft = string | string[];

export const hasChoices = (def: ParameterDefinition) =>
  def.type === 'list' && (def.allowedValues?.length ?? 0) > 0;

export function toDraft(def: ParameterDefinition, value: unknown): Draft {
  if (value === null || value === undefined) return hasChoices(def) ? [] : '';
  if (def.type === 'boolean') return value ? 'true' : 'false';
  if (def.type === 'list') {
    const items = Array.isArray(value) ? value.map(String) : [];
    return hasChoices(def) ? items : items.join('\n');
  }
  return String(value);
}

const splitList = (text: string) =>
  text
    .split(/[\n,;]/)
    .map((s) => s.trim())
    .filter(Boolean);

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

const hintOr = (t: TFunction, def: ParameterDefinition, fallbackKey: ParseKeys, params = {}) =>
  t(`network.parameters.hints.${def.code}`, { defaultValue: '' }) || t(fallbackKey, params);

/** The value to send, or the reason it cannot be sent, in pt-BR. */
export function fromDraft(
  t: TFunction,
  def: ParameterDefinition,
  draft: Draft,
): { ok: true; value: unknown } | { ok: false; message: string } {
  const bad = (message: string) => ({ ok: false as const, message });
  const own = t(`network.parameters.hints.${def.code}`, { defaultValue: '' });
  const required = () => bad(`${t('network.parameters.invalid.required')} ${own}`.trim());
  if (def.type === 'list') {
    const items = Array.isArray(draft) ? draft : splitList(draft);
    const max = def.maxItems ?? 50;
    if (items.length > max) return bad(t('network.parameters.invalid.maxItems', { max }));
    for (const [i, item] of items.entries()) {
      if (items.indexOf(item) !== i) return bad(t('network.parameters.invalid.repeated', { item }));
      if (def.allowedValues?.length && !def.allowedValues.some((c) => c.value === item)) {
        return bad(t('network.parameters.invalid.choice'));
      }
      if (def.pattern && !new RegExp(def.pattern).test(item)) {
        return bad(`${t('network.parameters.invalid.item', { item })} ${own}`.trim());
      }
    }
    return { ok: true, value: items };
  }
  const text = Array.isArray(draft) ? draft.join(',') : draft;
  switch (def.type) {
    case 'boolean':
      if (text !== 'true' && text !== 'false') return required();
      return { ok: true, value: text === 'true' };
    case 'integer': {
      const trimmed = text.trim();
      if (trimmed === '') return required();
      if (!/^-?\d+$/.test(trimmed) || !Number.isSafeInteger(Number(trimmed))) {
        return bad(t('network.parameters.invalid.integer'));
      }
      const n = Number(trimmed);
      if (def.min !== undefined && n < def.min)
        return bad(t('network.parameters.invalid.min', { min: def.min }));
      if (def.max !== undefined && n > def.max)
        return bad(t('network.parameters.invalid.max', { max: def.max }));
      return { ok: true, value: n };
    }
    case 'enum':
      if (!def.allowedValues?.some((c) => c.value === text))
        return bad(t('network.parameters.invalid.choice'));
      return { ok: true, value: text };
    case 'url': {
      const trimmed = text.trim();
      if (trimmed === '') return required();
      if (trimmed.length > 2048 || !isHttpUrl(trimmed)) return bad(t('network.parameters.invalid.url'));
      return { ok: true, value: trimmed };
    }
    default: {
      const trimmed = text.trim();
      if (trimmed === '') return required();
      const max = def.maxLength ?? 200;
      if (trimmed.length > max) return bad(t('network.parameters.invalid.maxLength', { max }));
      if (def.pattern && !new RegExp(def.pattern).test(trimmed)) {
        return bad(hintOr(t, def, 'network.parameters.invalid.format'));
      }
      return { ok: true, value: trimmed };
    }
  }
}
