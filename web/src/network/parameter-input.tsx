import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ParameterDefinition } from '../api/types.ts';
import { type Draft, hasChoices } from './parameter-values.ts';

/**
 * The input that fits a parameter's type: Sim/Não for a boolean, the options' labels for an enum, a
 * number with its limits for an integer, one tick per choice or one line per item for a list.
 */
export function ParameterInput(props: {
  def: ParameterDefinition;
  id: string;
  draft: Draft;
  error: string | null;
  onChange(draft: Draft): void;
}) {
  const { t } = useTranslation();
  const { def, id, draft, error } = props;
  const text = Array.isArray(draft) ? draft.join('\n') : draft;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const described = error ? errorId : hint(t, def) ? hintId : undefined;
  const common = { id, 'aria-describedby': described, 'aria-invalid': error ? true : undefined } as const;
  const label = t('network.parameters.input.value');

  let control: ReactNode;
  if (def.type === 'boolean') {
    control = (
      <select {...common} value={text} onChange={(e) => props.onChange(e.target.value)}>
        {text === '' && <option value="">{t('network.parameters.input.choose')}</option>}
        <option value="true">{t('network.parameters.value.yes')}</option>
        <option value="false">{t('network.parameters.value.no')}</option>
      </select>
    );
  } else if (def.type === 'enum') {
    control = (
      <select {...common} value={text} onChange={(e) => props.onChange(e.target.value)}>
        {text === '' && <option value="">{t('network.parameters.input.choose')}</option>}
        {def.allowedValues?.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    );
  } else if (def.type === 'integer') {
    control = (
      <input
        {...common}
        type="number"
        inputMode="numeric"
        step={1}
        min={def.min}
        max={def.max}
        value={text}
        onChange={(e) => props.onChange(e.target.value)}
      />
    );
  } else if (hasChoices(def)) {
    const ticked = Array.isArray(draft) ? draft : [];
    return (
      <fieldset className="field choices" aria-describedby={described} id={id}>
        <legend>{label}</legend>
        {def.allowedValues?.map((c) => (
          <label key={c.value} className="check-line">
            <input
              type="checkbox"
              checked={ticked.includes(c.value)}
              onChange={(e) =>
                props.onChange(
                  e.target.checked
                    ? def
                        .allowedValues!.map((o) => o.value)
                        .filter((v) => v === c.value || ticked.includes(v))
                    : ticked.filter((v) => v !== c.value),
                )
              }
            />
            {c.label}
          </label>
        ))}
        <Messages hintId={hintId} errorId={errorId} hint={hint(t, def)} error={error} />
      </fieldset>
    );
  } else if (def.type === 'list') {
    control = <textarea {...common} rows={4} value={text} onChange={(e) => props.onChange(e.target.value)} />;
  } else {
    control = (
      <input
        {...common}
        type={def.type === 'url' ? 'url' : 'text'}
        maxLength={def.type === 'url' ? 2048 : (def.maxLength ?? 200)}
        spellCheck={false}
        value={text}
        onChange={(e) => props.onChange(e.target.value)}
      />
    );
  }

  return (
    <div className="field">
      <label htmlFor={id}>
        <span>{label}</span>
      </label>
      {control}
      <Messages hintId={hintId} errorId={errorId} hint={hint(t, def)} error={error} />
    </div>
  );
}

function Messages(props: { hintId: string; errorId: string; hint: string; error: string | null }) {
  // An error says what is expected on its own (format errors carry the hint): it takes the hint's place.
  return (
    <>
      {props.hint && !props.error && (
        <span id={props.hintId} className="hint">
          {props.hint}
        </span>
      )}
      {props.error && (
        <span id={props.errorId} className="field-error" role="alert">
          {props.error}
        </span>
      )}
    </>
  );
}

/** What the input expects, in words: the limits of the registry and the parameter's own format. */
function hint(t: TFunction, def: ParameterDefinition): string {
  const own: string = t(`network.parameters.hints.${def.code}`, { defaultValue: '' });
  const parts: string[] = [];
  if (def.type === 'integer') {
    if (def.min !== undefined && def.max !== undefined) {
      parts.push(t('network.parameters.input.range', { min: def.min, max: def.max }));
    } else if (def.min !== undefined) parts.push(t('network.parameters.input.min', { min: def.min }));
    else if (def.max !== undefined) parts.push(t('network.parameters.input.max', { max: def.max }));
  }
  if (def.type === 'url') parts.push(t('network.parameters.input.url'));
  if (def.type === 'list' && !hasChoices(def)) parts.push(t('network.parameters.input.listLines'));
  if (own) parts.push(own);
  if (def.type === 'list' && def.maxItems !== undefined) {
    parts.push(t('network.parameters.input.maxItems', { max: def.maxItems }));
  }
  return parts.join(' ');
}
