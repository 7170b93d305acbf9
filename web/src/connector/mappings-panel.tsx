import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResponseOf } from '../api/types.ts';
import { api } from '../api.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { describeErrorIn } from '../components/error-text.ts';
import { fieldLayout } from '../components/form-fields.tsx';
import { Notice } from '../components/notice.tsx';
import { useLoad } from '../components/use-load.ts';
import { describeError, fieldErrorsByKey } from '../errors.ts';
import type { PlatformCode } from './connection-form.tsx';

type Mapping = ResponseOf<'/api/v1/connectors/{platform}/mappings', 'get'>['items'][number];
type Kind = Mapping['kind'];
const kinds: readonly Kind[] = ['store', 'sku', 'payment'];
type Key = 'externalCode' | 'internalCode';

const mappingPath = (platform: PlatformCode, kind: Kind, external: string) =>
  `/api/v1/connectors/${platform}/mappings/${kind}/${encodeURIComponent(external)}`;

/**
 * A platform's code mappings by kind (Lojas / SKUs / Formas de pagamento): added, changed and removed (with a
 * confirmation) by the network's admins; orders held for an unmapped code are reprocessed afterwards.
 */
export function MappingsPanel({ platform, title }: { platform: PlatformCode; title: string }) {
  const { t } = useTranslation();
  const ids = useId();
  const [kind, setKind] = useState<Kind>('store');
  const [values, setValues] = useState<Record<Key, string>>({ externalCode: '', internalCode: '' });
  const [editing, setEditing] = useState<string | null>(null);
  const [errors, setErrors] = useState<Partial<Record<Key, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [removing, setRemoving] = useState<Mapping | null>(null);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const loaded = useLoad(
    (signal) =>
      api<{ items: Mapping[] }>(
        'GET',
        `/api/v1/connectors/${platform}/mappings?kind=${kind}`,
        undefined,
        signal,
      ),
    [platform, kind],
  );
  const items = loaded.data?.items ?? [];
  const { field, described } = fieldLayout<Key>(ids, errors);

  const reset = () => {
    setValues({ externalCode: '', internalCode: '' });
    setEditing(null);
    setErrors({});
    setFormError(null);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const external = values.externalCode.trim();
    const found: Partial<Record<Key, string>> = {};
    if (!external) found.externalCode = t('fields.VALIDATION.REQUIRED');
    if (!values.internalCode.trim()) found.internalCode = t('fields.VALIDATION.REQUIRED');
    if (Object.keys(found).length) {
      setErrors(found);
      setFormError(t('connector.platforms.mappings.invalid'));
      return;
    }
    setSaving(true);
    setNotice(null);
    try {
      await api('PUT', mappingPath(platform, kind, external), { internalCode: values.internalCode.trim() });
      reset();
      setNotice(t('connector.platforms.mappings.saved'));
      loaded.reload();
    } catch (err) {
      const byField = fieldErrorsByKey(t, err, ['externalCode', 'internalCode'] as const);
      setErrors(byField);
      setFormError(
        Object.keys(byField).length
          ? t('connector.platforms.mappings.invalid')
          : describeErrorIn(t, err, 'connector'),
      );
    } finally {
      setSaving(false);
    }
  };

  const remove = async () => {
    if (!removing) return;
    setSaving(true);
    setRemoveError(null);
    try {
      await api('DELETE', mappingPath(platform, removing.kind, removing.externalCode));
      setRemoving(null);
      if (editing === removing.externalCode) reset();
      setNotice(t('connector.platforms.mappings.removed'));
      loaded.reload();
    } catch (err) {
      setRemoveError(describeError(t, err));
    } finally {
      setSaving(false);
    }
  };

  const input = (key: Key, label: string, hint?: string) =>
    field(
      key,
      label,
      <input
        id={`${ids}-${key}`}
        name={key}
        value={values[key]}
        maxLength={120}
        readOnly={key === 'externalCode' && editing !== null}
        autoComplete="off"
        aria-invalid={errors[key] ? true : undefined}
        aria-describedby={described(key, hint !== undefined)}
        onChange={(e) => {
          setValues((v) => ({ ...v, [key]: e.target.value }));
          setErrors((x) => ({ ...x, [key]: undefined }));
        }}
      />,
      hint,
    );

  return (
    <section className="card connector-mappings" aria-labelledby={`${ids}-title`}>
      <h3 id={`${ids}-title`}>{t('connector.platforms.mappings.title', { platform: title })}</h3>
      <nav className="tabs" aria-label={t('connector.platforms.mappings.kindsLabel')}>
        {kinds.map((k) => (
          <button
            key={k}
            type="button"
            className="button"
            aria-pressed={kind === k}
            onClick={() => {
              setKind(k);
              reset();
              setNotice(null);
            }}
          >
            {t(`connector.platforms.mappings.kinds.${k}`)}
          </button>
        ))}
      </nav>
      {notice && <Notice kind="success">{notice}</Notice>}
      {loaded.error ? <Notice kind="error">{describeError(t, loaded.error)}</Notice> : null}
      {!loaded.loading && !loaded.error && items.length === 0 && (
        <p className="empty">{t(`connector.platforms.mappings.empty.${kind}`)}</p>
      )}
      {items.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t(`connector.platforms.mappings.external.${kind}`)}</th>
              <th scope="col">{t(`connector.platforms.mappings.internal.${kind}`)}</th>
              <th scope="col">
                <span className="visually-hidden">{t('connector.platforms.mappings.edit')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((row) => (
              <tr key={row.externalCode}>
                <td>{row.externalCode}</td>
                <td>{row.internalCode}</td>
                <td className="row-actions">
                  <button
                    type="button"
                    className="button"
                    aria-label={`${t('connector.platforms.mappings.edit')} ${row.externalCode}`}
                    onClick={() => {
                      setEditing(row.externalCode);
                      setValues({ externalCode: row.externalCode, internalCode: row.internalCode });
                      setErrors({});
                      setFormError(null);
                      document.getElementById(`${ids}-internalCode`)?.focus();
                    }}
                  >
                    {t('connector.platforms.mappings.edit')}
                  </button>
                  <button
                    type="button"
                    className="button danger"
                    aria-label={`${t('connector.platforms.mappings.remove')} ${row.externalCode}`}
                    onClick={() => {
                      setRemoveError(null);
                      setRemoving(row);
                    }}
                  >
                    {t('connector.platforms.mappings.remove')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="mapping-form" onSubmit={(e) => void submit(e)} noValidate>
        {formError && <Notice kind="error">{formError}</Notice>}
        <div className="form-grid">
          {input('externalCode', t(`connector.platforms.mappings.external.${kind}`))}
          {input(
            'internalCode',
            t(`connector.platforms.mappings.internal.${kind}`),
            t(`connector.platforms.mappings.internalHint.${kind}`),
          )}
        </div>
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={saving}>
            {saving
              ? t('connector.platforms.mappings.adding')
              : editing
                ? t('connector.platforms.mappings.update')
                : t('connector.platforms.mappings.add')}
          </button>
          {editing && (
            <button type="button" className="button" onClick={reset}>
              {t('connector.platforms.mappings.cancelEdit')}
            </button>
          )}
        </div>
      </form>
      <ConfirmDialog
        open={removing !== null}
        title={t('connector.platforms.mappings.removeTitle')}
        message={t('connector.platforms.mappings.removeMessage', {
          external: removing?.externalCode,
          internal: removing?.internalCode,
        })}
        confirmLabel={t('connector.platforms.mappings.remove')}
        danger
        busy={saving}
        error={removeError}
        onConfirm={() => void remove()}
        onCancel={() => setRemoving(null)}
      />
    </section>
  );
}
