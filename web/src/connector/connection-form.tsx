import type { ParseKeys } from 'i18next';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../api.ts';
import { describeErrorIn } from '../components/error-text.ts';
import { fieldLayout } from '../components/form-fields.tsx';
import { Notice } from '../components/notice.tsx';
import { useLoad } from '../components/use-load.ts';
import { fieldErrorsByKey } from '../errors.ts';

export type PlatformCode = 'vtex' | 'nuvemshop';

/** One input of a platform's connection: a setting shown back, or a secret only ever written. */
interface FieldSpec {
  key: string;
  label: ParseKeys;
  hint?: ParseKeys;
  secret?: boolean;
  /** Sent only when filled (the server's default applies otherwise). */
  optional?: boolean;
  type?: 'text' | 'url';
}

const n = 'connector.platforms.nuvemshop';
const v = 'connector.platforms.vtex';

/**
 * What each platform's connection asks (the server's contract: `GET|PUT /api/v1/connectors/{platform}`).
 * Secrets are never answered; a GET says only that they are stored (the connection exists).
 */
const specs: Record<PlatformCode, FieldSpec[]> = {
  vtex: [
    { key: 'accountName', label: `${v}.accountName` },
    { key: 'appKey', label: `${v}.appKey`, secret: true },
    { key: 'appToken', label: `${v}.appToken`, secret: true },
    { key: 'baseUrl', label: `${v}.baseUrl`, hint: `${v}.baseUrlHint`, optional: true, type: 'url' },
    { key: 'hookToken', label: `${v}.hookToken`, secret: true },
    { key: 'defaultStoreCode', label: `${v}.defaultStoreCode`, hint: `${v}.defaultStoreCodeHint` },
  ],
  nuvemshop: [
    { key: 'storeId', label: `${n}.storeId` },
    { key: 'accessToken', label: `${n}.accessToken`, secret: true },
    { key: 'appSecret', label: `${n}.appSecret`, hint: `${n}.appSecretHint`, secret: true },
    { key: 'baseUrl', label: `${n}.baseUrl`, hint: `${n}.baseUrlHint`, optional: true, type: 'url' },
    { key: 'userAgent', label: `${n}.userAgent`, hint: `${n}.userAgentHint`, optional: true },
    { key: 'defaultStoreCode', label: `${n}.defaultStoreCode`, hint: `${n}.defaultStoreCodeHint` },
  ],
};

type Connection = Record<string, unknown> & { active?: boolean; hookUrl?: string };

const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

/** A platform's connection card: its form, the hook URL to copy once saved. */
export function ConnectionForm({ platform }: { platform: PlatformCode }) {
  const { t } = useTranslation();
  const ids = useId();
  const fields = specs[platform];
  const keys = [...fields.map((f) => f.key), 'active'];
  const path = `/api/v1/connectors/${platform}`;
  const [values, setValues] = useState<Record<string, string>>({});
  const [active, setActive] = useState(true);
  const [errors, setErrors] = useState<Partial<Record<string, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [savedNotice, setSavedNotice] = useState(false);
  const [saving, setSaving] = useState(false);
  const [copied, setCopied] = useState(false);
  const loaded = useLoad(
    async (signal) => {
      try {
        const found = await api<Connection>('GET', path, undefined, signal);
        setValues(
          Object.fromEntries(fields.filter((f) => !f.secret).map((f) => [f.key, text(found[f.key])])),
        );
        setActive(found.active !== false);
        return found;
      } catch (err) {
        // 404: not connected yet, an empty form.
        if (err instanceof ApiError && err.status === 404) return null;
        throw err;
      }
    },
    [path],
  );
  const connection = loaded.data;
  const { field, described } = fieldLayout<string>(ids, errors);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body: Record<string, unknown> = { active };
    for (const f of fields) {
      const value = (values[f.key] ?? '').trim();
      if ((f.secret || f.optional) && value === '') continue;
      body[f.key] = f.secret ? (values[f.key] ?? '') : value;
    }
    setSaving(true);
    setFormError(null);
    setSavedNotice(false);
    try {
      const saved = await api<Connection>('PUT', path, body);
      loaded.set(saved);
      setValues((v) => ({
        ...v,
        ...Object.fromEntries(fields.map((f) => [f.key, f.secret ? '' : text(saved[f.key])])),
      }));
      setErrors({});
      setSavedNotice(true);
    } catch (err) {
      const byField = fieldErrorsByKey(t, err, keys);
      setErrors(byField);
      setFormError(
        Object.keys(byField).length ? t('connector.platforms.invalid') : describeErrorIn(t, err, 'connector'),
      );
      const first = fields.find((f) => byField[f.key]);
      if (first) document.getElementById(`${ids}-${first.key}`)?.focus();
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      className="card connector-connection"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-label={t(`connector.platforms.${platform}.title`)}
    >
      {loaded.loading && !connection && <p className="hint">{t('connector.platforms.loading')}</p>}
      {!loaded.loading && !connection && !loaded.error && (
        <Notice kind="info">{t('connector.platforms.notConnected')}</Notice>
      )}
      {connection && (
        <p className="hint">
          {connection.active === false
            ? t('connector.platforms.inactive')
            : t('connector.platforms.connected')}
        </p>
      )}
      {formError && <Notice kind="error">{formError}</Notice>}
      {savedNotice && <Notice kind="success">{t('connector.platforms.saved')}</Notice>}
      <div className="form-grid">
        {fields.map((f) => (
          <div key={f.key}>
            {field(
              f.key,
              t(f.label),
              <input
                id={`${ids}-${f.key}`}
                name={f.key}
                type={f.secret ? 'password' : (f.type ?? 'text')}
                value={values[f.key] ?? ''}
                autoComplete={f.secret ? 'new-password' : 'off'}
                placeholder={f.secret && connection ? t('connector.platforms.stored') : undefined}
                aria-invalid={errors[f.key] ? true : undefined}
                aria-describedby={described(f.key, f.hint !== undefined)}
                onChange={(e) => {
                  setValues((v) => ({ ...v, [f.key]: e.target.value }));
                  setErrors((x) => ({ ...x, [f.key]: undefined }));
                }}
              />,
              f.hint && t(f.hint),
            )}
          </div>
        ))}
        <div className="field checkbox">
          <label>
            <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />{' '}
            <span>{t('connector.platforms.active')}</span>
          </label>
        </div>
      </div>
      {connection?.hookUrl && (
        <div className="field">
          <label htmlFor={`${ids}-hookUrl`}>
            <span>{t('connector.platforms.hookUrl')}</span>
          </label>
          <div className="inline-actions">
            <input
              id={`${ids}-hookUrl`}
              readOnly
              value={connection.hookUrl}
              aria-describedby={`${ids}-hookUrl-hint`}
            />
            <button
              type="button"
              className="button"
              onClick={() =>
                void navigator.clipboard
                  ?.writeText(connection.hookUrl ?? '')
                  .then(() => setCopied(true))
                  .catch(() => setCopied(false))
              }
            >
              {copied ? t('connector.platforms.copied') : t('connector.platforms.copy')}
            </button>
          </div>
          <span id={`${ids}-hookUrl-hint`} className="hint">
            {t('connector.platforms.hookUrlHint')}
          </span>
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={saving}>
          {saving ? t('connector.platforms.saving') : t('connector.platforms.save')}
        </button>
      </div>
    </form>
  );
}
