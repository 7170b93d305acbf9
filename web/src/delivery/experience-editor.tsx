import { type FormEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeliveryType, Experience } from '../api/types.ts';
import { api } from '../api.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { describeErrorIn } from '../components/error-text.ts';
import { Notice } from '../components/notice.tsx';
import { fieldErrorsOf } from '../errors.ts';
import type { delivery } from '../i18n/pt-BR/delivery.ts';

type Field = 'code' | 'description' | 'carrierCode' | 'carrierName' | 'serviceCode' | 'type';
type Errors = Partial<Record<Field, string>>;

interface Form {
  code: string;
  description: string;
  carrierCode: string;
  carrierName: string;
  serviceCode: string;
  type: DeliveryType | '';
}

const formOf = (e: Experience | null): Form => ({
  code: e?.code ?? '',
  description: e?.description ?? '',
  carrierCode: e?.carrierCode ?? '',
  carrierName: e?.carrierName ?? '',
  serviceCode: e?.serviceCode ?? '',
  type: e?.type ?? '',
});

/**
 * A configuration's fields (PDVFM093 "Configuração Entrega"): the carrier rules are checked here first
 * — CORREIOS needs its service, a carrier makes the type "Envio pela loja" — and the server's 422 lands
 * beside the same fields. Deleting asks first.
 */
export function ExperienceEditor(props: {
  experience: Experience | null;
  onSaved(e: Experience, created: boolean): void;
  onDeleted(code: string): void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const { experience } = props;
  const [form, setForm] = useState<Form>(() => formOf(experience));
  const [errors, setErrors] = useState<Errors>({});
  const [saving, setSaving] = useState(false);
  const [feedback, setFeedback] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [confirmError, setConfirmError] = useState<string | null>(null);

  useEffect(() => {
    setForm(formOf(experience));
    setErrors({});
    setFeedback(null);
  }, [experience]);

  const carrier = form.carrierCode.trim().toUpperCase();
  const effectiveType: DeliveryType | '' = carrier ? 'ship' : form.type;
  const set = (field: Field, value: string) => {
    setForm((f) => ({ ...f, [field]: value }));
    setErrors((e) => ({ ...e, [field]: undefined }));
  };

  const validate = (): Errors => {
    const found: Errors = {};
    const inv = (k: keyof typeof delivery.editor.invalid) => t(`delivery.editor.invalid.${k}`);
    if (!experience && !/^[A-Za-z0-9_-]{1,20}$/.test(form.code)) found.code = inv('code');
    if (!form.description.trim() || form.description.trim().length > 120)
      found.description = inv('description');
    if (carrier && !/^[A-Z0-9_-]{1,20}$/.test(carrier)) found.carrierCode = inv('carrierCode');
    if (!carrier && form.carrierName.trim()) found.carrierName = inv('carrierNameWithoutCode');
    if (carrier === 'CORREIOS' && !form.serviceCode.trim()) found.serviceCode = inv('serviceCode');
    if (!carrier && form.serviceCode.trim()) found.serviceCode = inv('serviceWithoutCarrier');
    if (!effectiveType) found.type = inv('type');
    return found;
  };

  const fromServer = (err: unknown): Errors => {
    const found: Errors = {};
    for (const { path, code } of fieldErrorsOf(err)) {
      const field = path.slice(1) as Field;
      if (!['code', 'description', 'carrierCode', 'carrierName', 'serviceCode', 'type'].includes(field))
        continue;
      found[field] =
        code === 'DELIVERY.SERVICE_CODE_REQUIRED'
          ? t('delivery.editor.invalid.serviceCode')
          : code === 'DELIVERY.TYPE_MUST_BE_SHIP'
            ? t('delivery.editor.invalid.typeCarrier')
            : t(`delivery.editor.invalid.${field}`, { defaultValue: t('delivery.editor.invalid.generic') });
    }
    return found;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFeedback(null);
    const found = validate();
    setErrors(found);
    if (Object.keys(found).length) return;
    setSaving(true);
    const fields = {
      description: form.description.trim(),
      carrierCode: carrier || null,
      carrierName: carrier ? form.carrierName.trim() || null : null,
      serviceCode: carrier ? form.serviceCode.trim() || null : null,
      type: effectiveType || undefined,
    };
    try {
      const saved = experience
        ? await api<Experience>(
            'PATCH',
            `/api/v1/delivery-experiences/${encodeURIComponent(experience.code)}`,
            {
              version: experience.version,
              ...fields,
            },
          )
        : await api<Experience>('POST', '/api/v1/delivery-experiences', {
            // Left blank, the server gives the network's next number (PDVFM093).
            ...(form.code.trim() ? { code: form.code.trim() } : {}),
            ...fields,
          });
      setFeedback({
        kind: 'success',
        text: t(experience ? 'delivery.editor.saved' : 'delivery.editor.created', { code: saved.code }),
      });
      props.onSaved(saved, !experience);
    } catch (err) {
      setErrors(fromServer(err));
      setFeedback({ kind: 'error', text: describeErrorIn(t, err, 'delivery') });
    } finally {
      setSaving(false);
    }
  };

  const remove = async () => {
    if (!experience) return;
    setSaving(true);
    setConfirmError(null);
    try {
      await api('DELETE', `/api/v1/delivery-experiences/${encodeURIComponent(experience.code)}`);
      setConfirming(false);
      props.onDeleted(experience.code);
    } catch (err) {
      setConfirmError(describeErrorIn(t, err, 'delivery'));
    } finally {
      setSaving(false);
    }
  };

  const input = (
    field: Exclude<Field, 'type'>,
    opts: { hint?: string; placeholder?: string; disabled?: boolean } = {},
  ) => {
    const errorId = `${id}-${field}-error`;
    const hintId = `${id}-${field}-hint`;
    return (
      <label className="field">
        <span id={`${id}-${field}-label`}>{t(`delivery.editor.${field}`)}</span>
        <input
          name={field}
          aria-labelledby={`${id}-${field}-label`}
          value={form[field]}
          disabled={opts.disabled}
          placeholder={opts.placeholder}
          aria-invalid={errors[field] ? true : undefined}
          aria-describedby={
            [errors[field] ? errorId : '', opts.hint ? hintId : ''].filter(Boolean).join(' ') || undefined
          }
          onChange={(e) => set(field, e.target.value)}
        />
        {opts.hint && (
          <span id={hintId} className="hint">
            {opts.hint}
          </span>
        )}
        {errors[field] && (
          <span id={errorId} className="field-error">
            {errors[field]}
          </span>
        )}
      </label>
    );
  };

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>
        {experience ? t('delivery.editor.title', { code: experience.code }) : t('delivery.editor.newTitle')}
      </h2>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div className="editor-fields">
          {input('code', { hint: t('delivery.editor.codeHint'), disabled: !!experience })}
          {input('description', { placeholder: t('delivery.editor.descriptionPlaceholder') })}
          {input('carrierCode')}
          {input('carrierName', { disabled: !carrier })}
          {input('serviceCode', { hint: t('delivery.editor.serviceHint'), disabled: !carrier })}
          <label className="field">
            <span id={`${id}-type-label`}>{t('delivery.editor.type')}</span>
            <select
              name="type"
              aria-labelledby={`${id}-type-label`}
              value={effectiveType}
              disabled={!!carrier}
              aria-invalid={errors.type ? true : undefined}
              aria-describedby={`${id}-type-hint${errors.type ? ` ${id}-type-error` : ''}`}
              onChange={(e) => set('type', e.target.value)}
            >
              <option value="">—</option>
              <option value="pickup">{t('delivery.types.pickup')}</option>
              <option value="ship">{t('delivery.types.ship')}</option>
            </select>
            <span id={`${id}-type-hint`} className="hint">
              {carrier
                ? t('delivery.editor.typeForced')
                : effectiveType === 'ship'
                  ? t('delivery.editor.ownDelivery')
                  : ''}
            </span>
            {errors.type && (
              <span id={`${id}-type-error`} className="field-error">
                {errors.type}
              </span>
            )}
          </label>
        </div>
        {feedback && <Notice kind={feedback.kind}>{feedback.text}</Notice>}
        <div className="toolbar">
          <button type="submit" className="button primary" disabled={saving}>
            {saving
              ? t('actions.saving')
              : experience
                ? t('delivery.editor.save')
                : t('delivery.editor.create')}
          </button>
          {experience && (
            <button
              type="button"
              className="button danger"
              disabled={saving}
              onClick={() => setConfirming(true)}
            >
              {t('delivery.editor.delete')}
            </button>
          )}
        </div>
      </form>
      {experience && (
        <ConfirmDialog
          open={confirming}
          title={t('delivery.editor.deleteTitle', { code: experience.code })}
          message={t('delivery.editor.deleteMessage', { description: experience.description })}
          confirmLabel={t('delivery.editor.delete')}
          danger
          busy={saving}
          error={confirmError}
          onConfirm={() => void remove()}
          onCancel={() => {
            setConfirming(false);
            setConfirmError(null);
          }}
        />
      )}
    </section>
  );
}
