import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReturnReason, ReturnReasonType } from '../api/types.ts';
import { ApiError, api } from '../api.ts';
import { describeErrorIn } from '../components/error-text.ts';
import { fieldLayout } from '../components/form-fields.tsx';
import { Notice } from '../components/notice.tsx';
import { describeField } from '../errors.ts';
import { todayInSaoPaulo } from '../format.ts';

export const reasonTypes = [
  'oms_order_return',
  'store_sale_return',
] as const satisfies readonly ReturnReasonType[];

type Key = 'code' | 'description' | 'type' | 'validFrom' | 'validTo';
type Errors = Partial<Record<Key, string>>;

/** Create (no `reason`) or change a return reason; the server's field errors land beside their fields. */
export function ReasonForm(props: {
  reason?: ReturnReason;
  onSaved(reason: ReturnReason): void;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  const ids = useId();
  const editing = props.reason;
  const [code, setCode] = useState(editing?.code ?? '');
  const [description, setDescription] = useState(editing?.description ?? '');
  const [type, setType] = useState<ReturnReasonType>(editing?.type ?? 'oms_order_return');
  const [validFrom, setValidFrom] = useState(editing?.validFrom ?? todayInSaoPaulo());
  const [validTo, setValidTo] = useState(editing?.validTo ?? '');
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const fromServer = (err: unknown): Errors => {
    if (!(err instanceof ApiError)) return {};
    const out: Errors = {};
    for (const e of err.problem.errors ?? []) {
      const key = e.path.replace(/^\//, '').split('/')[0] as Key;
      out[key] = describeField(t, e);
    }
    return out;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local: Errors = {};
    if (!editing && !code.trim()) local.code = t('fields.VALIDATION.REQUIRED');
    if (!description.trim()) local.description = t('fields.VALIDATION.REQUIRED');
    if (!validFrom) local.validFrom = t('fields.VALIDATION.REQUIRED');
    if (validTo && validFrom && validTo < validFrom) local.validTo = t('fields.RETURN.PERIOD_INVERTED');
    setErrors(local);
    if (Object.keys(local).length) {
      setFormError(t('returns.reasons.invalid'));
      return;
    }
    setSaving(true);
    setFormError(null);
    const fields = { description: description.trim(), type, validFrom, validTo: validTo || null };
    try {
      const saved = editing
        ? await api<ReturnReason>('PUT', `/api/v1/return-reasons/${encodeURIComponent(editing.code)}`, {
            ...fields,
            active: editing.active,
            version: editing.version,
          })
        : await api<ReturnReason>('POST', '/api/v1/return-reasons', { code: code.trim(), ...fields });
      props.onSaved(saved);
    } catch (err) {
      const byField = fromServer(err);
      setErrors(byField);
      setFormError(describeErrorIn(t, err, 'returns'));
      const first = Object.keys(byField)[0];
      if (first) document.getElementById(`${ids}-${first}`)?.focus();
    } finally {
      setSaving(false);
    }
  };

  const { field, described } = fieldLayout<Key>(ids, errors);
  const clear = (key: Key) => setErrors((x) => ({ ...x, [key]: undefined }));

  return (
    <form
      className="card reason-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-labelledby={`${ids}-title`}
    >
      <h2 id={`${ids}-title`}>
        {editing ? t('returns.reasons.editTitle', { code: editing.code }) : t('returns.reasons.newTitle')}
      </h2>
      {formError && <Notice kind="error">{formError}</Notice>}
      <div className="form-grid">
        {!editing &&
          field(
            'code',
            t('returns.reasons.code'),
            <input
              id={`${ids}-code`}
              value={code}
              maxLength={20}
              autoComplete="off"
              aria-invalid={errors.code ? true : undefined}
              aria-describedby={described('code', true)}
              onChange={(e) => {
                setCode(e.target.value);
                clear('code');
              }}
            />,
            t('returns.reasons.codeHint'),
          )}
        {field(
          'description',
          t('returns.reasons.description'),
          <input
            id={`${ids}-description`}
            value={description}
            maxLength={120}
            aria-invalid={errors.description ? true : undefined}
            aria-describedby={described('description')}
            onChange={(e) => {
              setDescription(e.target.value);
              clear('description');
            }}
          />,
        )}
        {field(
          'type',
          t('returns.reasons.type'),
          <select
            id={`${ids}-type`}
            value={type}
            aria-describedby={described('type')}
            onChange={(e) => setType(e.target.value as ReturnReasonType)}
          >
            {reasonTypes.map((r) => (
              <option key={r} value={r}>
                {t(`returns.reasons.types.${r}`)}
              </option>
            ))}
          </select>,
        )}
        {field(
          'validFrom',
          t('returns.reasons.validFrom'),
          <input
            id={`${ids}-validFrom`}
            type="date"
            value={validFrom}
            aria-invalid={errors.validFrom ? true : undefined}
            aria-describedby={described('validFrom')}
            onChange={(e) => {
              setValidFrom(e.target.value);
              clear('validFrom');
            }}
          />,
        )}
        {field(
          'validTo',
          t('returns.reasons.validTo'),
          <input
            id={`${ids}-validTo`}
            type="date"
            value={validTo}
            aria-invalid={errors.validTo ? true : undefined}
            aria-describedby={described('validTo', true)}
            onChange={(e) => {
              setValidTo(e.target.value);
              clear('validTo');
            }}
          />,
          t('returns.reasons.validToHint'),
        )}
      </div>
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={saving}>
          {saving
            ? t('returns.reasons.saving')
            : editing
              ? t('returns.reasons.save')
              : t('returns.reasons.create')}
        </button>
        <button type="button" className="button" onClick={props.onCancel} disabled={saving}>
          {t('returns.reasons.cancel')}
        </button>
      </div>
    </form>
  );
}
