import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PasswordChanged } from '../api/types.ts';
import { api } from '../api.ts';
import { describeErrorIn } from '../components/error-text.ts';
import { Notice } from '../components/notice.tsx';
import { fieldErrors } from '../errors.ts';

type Field = 'current' | 'new' | 'confirm';

/**
 * Changes the signed-in user's own password: current, new and its confirmation, with the server's field
 * errors (the policy) beside the fields in Portuguese. Used by "Minha conta" and by the forced change.
 */
export function PasswordForm(props: {
  currentLabel?: string;
  submitLabel?: string;
  onChanged(result: PasswordChanged): void | Promise<void>;
}) {
  const { t } = useTranslation();
  const ids = useId();
  const [values, setValues] = useState<Record<Field, string>>({ current: '', new: '', confirm: '' });
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFailure(null);
    if (values.new !== values.confirm) {
      setErrors({ confirm: t('access.account.password.mismatch') });
      return;
    }
    setSaving(true);
    try {
      const result = await api<PasswordChanged>('POST', '/api/v1/auth/password', {
        currentPassword: values.current,
        newPassword: values.new,
      });
      setValues({ current: '', new: '', confirm: '' });
      setErrors({});
      await props.onChanged(result);
    } catch (err) {
      const byPath = fieldErrors(t, err);
      const found = { current: byPath['/currentPassword'], new: byPath['/newPassword'] };
      setErrors(found);
      if (!found.current && !found.new) setFailure(describeErrorIn(t, err, 'access'));
    } finally {
      setSaving(false);
    }
  };

  const input = (field: Field, label: string, autoComplete: string, hint?: string) => (
    <div className="field">
      <label htmlFor={`${ids}-${field}`}>
        <span>{label}</span>
      </label>
      <input
        id={`${ids}-${field}`}
        name={field}
        type="password"
        required
        maxLength={256}
        autoComplete={autoComplete}
        value={values[field]}
        aria-invalid={errors[field] ? true : undefined}
        aria-describedby={
          [hint && `${ids}-${field}-hint`, errors[field] && `${ids}-${field}-error`]
            .filter(Boolean)
            .join(' ') || undefined
        }
        onChange={(e) => {
          const value = e.target.value;
          setValues((v) => ({ ...v, [field]: value }));
          setErrors((x) => ({ ...x, [field]: undefined }));
        }}
      />
      {hint && (
        <span id={`${ids}-${field}-hint`} className="hint">
          {hint}
        </span>
      )}
      {errors[field] && (
        <span id={`${ids}-${field}-error`} className="field-error">
          {errors[field]}
        </span>
      )}
    </div>
  );

  return (
    <form className="password-form" onSubmit={submit} noValidate>
      {input('current', props.currentLabel ?? t('access.account.password.current'), 'current-password')}
      {input('new', t('access.account.password.new'), 'new-password', t('access.account.password.rules'))}
      {input('confirm', t('access.account.password.confirm'), 'new-password')}
      {failure && <Notice kind="error">{failure}</Notice>}
      <div className="editor-actions">
        <button type="submit" className="button primary" disabled={saving}>
          {saving ? t('actions.saving') : (props.submitLabel ?? t('access.account.password.submit'))}
        </button>
      </div>
    </form>
  );
}
