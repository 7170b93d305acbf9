import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CreatedApiClient, NetworkNode } from '../api/types.ts';
import { api } from '../api.ts';
import { isAdmin, useAuth } from '../auth.tsx';
import { describeErrorIn } from '../components/error-text.ts';
import { Notice } from '../components/notice.tsx';
import { fieldErrors } from '../errors.ts';
import { storeLabel } from './client-panel.tsx';

type Scope = 'platform' | 'pos' | 'erp';

/** "Novo cliente": a platform client on the network, or a POS client on one store; answers the key once. */
export function NewClientForm(props: {
  nodes: readonly NetworkNode[];
  onCreated(client: CreatedApiClient): void;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const ids = useId();
  // Only a network admin hands out platform keys (the server says the same).
  const canPlatform = me?.actor === 'network_admin';
  const [name, setName] = useState('');
  const [scope, setScope] = useState<Scope>('pos');
  const [store, setStore] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const stores = props.nodes.filter((n) => n.kind === 'store' && n.active);
  const networkNode = props.nodes.find((n) => n.kind === 'network');
  if (!isAdmin(me)) return null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!name.trim()) local['/name'] = t('fields.VALIDATION.REQUIRED');
    if (scope === 'pos' && !store) local['/nodeCode'] = t('fields.VALIDATION.REQUIRED');
    setErrors(local);
    setFailure(null);
    if (Object.keys(local).length) return;
    setSaving(true);
    try {
      const nodeCode = scope === 'pos' ? store : (networkNode?.code ?? me?.nodeCode ?? '');
      const created = await api<CreatedApiClient>('POST', '/api/v1/api-clients', {
        name: name.trim(),
        scope,
        nodeCode,
      });
      setName('');
      setStore('');
      props.onCreated(created);
    } catch (error) {
      const byField = fieldErrors(t, error);
      setErrors(byField);
      if (Object.keys(byField).length === 0) setFailure(describeErrorIn(t, error, 'apiClients'));
    } finally {
      setSaving(false);
    }
  };

  const fieldError = (path: string, id: string) =>
    errors[path] ? (
      <span id={id} className="field-error">
        {errors[path]}
      </span>
    ) : null;

  return (
    <section className="card new-client" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>{t('apiClients.form.title')}</h2>
      {failure && <Notice kind="error">{failure}</Notice>}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div className="field">
          <label htmlFor={`${ids}-name`}>
            <span>{t('apiClients.form.name')}</span>
          </label>
          <input
            id={`${ids}-name`}
            value={name}
            maxLength={120}
            placeholder={t('apiClients.form.namePlaceholder')}
            aria-invalid={errors['/name'] ? true : undefined}
            aria-describedby={errors['/name'] ? `${ids}-name-error` : undefined}
            onChange={(e) => setName(e.target.value)}
          />
          {fieldError('/name', `${ids}-name-error`)}
        </div>
        <fieldset className="field">
          <legend>
            <span>{t('apiClients.form.scope')}</span>
          </legend>
          {(['pos', 'platform', 'erp'] as const).map((s) => (
            <label key={s} className="check-line">
              <input
                type="radio"
                name={`${ids}-scope`}
                value={s}
                checked={scope === s}
                disabled={s !== 'pos' && !canPlatform}
                onChange={() => setScope(s)}
              />
              {t(`apiClients.scopes.${s}`)}
            </label>
          ))}
          <span className="hint">
            {scope === 'pos'
              ? t('apiClients.form.posHint')
              : scope === 'erp'
                ? t('apiClients.form.erpHint', { code: networkNode?.code ?? '' })
                : t('apiClients.form.platformHint', { code: networkNode?.code ?? '' })}
          </span>
        </fieldset>
        {scope === 'pos' && (
          <div className="field">
            <label htmlFor={`${ids}-store`}>
              <span>{t('apiClients.form.store')}</span>
            </label>
            <select
              id={`${ids}-store`}
              value={store}
              aria-invalid={errors['/nodeCode'] ? true : undefined}
              aria-describedby={errors['/nodeCode'] ? `${ids}-store-error` : undefined}
              onChange={(e) => setStore(e.target.value)}
            >
              <option value="">{t('apiClients.form.chooseStore')}</option>
              {stores.map((n) => (
                <option key={n.code} value={n.code}>
                  {storeLabel(t, n.code, n.name)}
                </option>
              ))}
            </select>
            {stores.length === 0 && <span className="hint">{t('apiClients.form.noStores')}</span>}
            {fieldError('/nodeCode', `${ids}-store-error`)}
          </div>
        )}
        <div className="editor-actions">
          <button type="submit" className="button primary" disabled={saving}>
            {saving ? t('apiClients.form.creating') : t('apiClients.form.create')}
          </button>
          <button type="button" className="button" onClick={props.onCancel} disabled={saving}>
            {t('actions.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}
