import type { ReactNode } from 'react';

/**
 * The house layout of a labelled form field: its label, the input, an optional hint and the server's or the
 * form's error beside it, with `aria-describedby` naming both. `ids` is the form's `useId()`, so two forms on
 * one page never share element ids.
 */
export function fieldLayout<K extends string>(ids: string, errors: Partial<Record<K, string | undefined>>) {
  const described = (key: K, hint?: boolean) =>
    [hint ? `${ids}-${key}-hint` : '', errors[key] ? `${ids}-${key}-error` : ''].filter(Boolean).join(' ') ||
    undefined;
  const field = (key: K, label: string, input: ReactNode, hint?: ReactNode) => (
    <div className="field">
      <label htmlFor={`${ids}-${key}`}>
        <span>{label}</span>
      </label>
      {input}
      {hint && (
        <span id={`${ids}-${key}-hint`} className="hint">
          {hint}
        </span>
      )}
      {errors[key] && (
        <span id={`${ids}-${key}-error`} className="field-error">
          {errors[key]}
        </span>
      )}
    </div>
  );
  return { field, described };
}
