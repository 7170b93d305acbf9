import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResponseOf } from '../api/types.ts';
import { ApiError, api } from '../api.ts';
import { isAdmin, useAuth } from '../auth.tsx';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { describeErrorIn } from '../components/error-text.ts';
import { Notice } from '../components/notice.tsx';
import { useLoad } from '../components/use-load.ts';
import { formatDateTime } from '../format.ts';
import './finance-admin.css';

type PaymentMethod = ResponseOf<'/api/v1/finance/payment-methods', 'get'>['items'][number];
type Mapping = PaymentMethod['mapping'];
type PlatformMethod = keyof Mapping;
type DocumentType = Mapping[PlatformMethod];

const platformMethods: PlatformMethod[] = ['credit_card', 'debit_card', 'pix', 'invoice', 'marketplace'];
const documentTypes: DocumentType[] = ['credit_card', 'debit_card', 'pix', 'invoice', 'marketplace'];

/**
 * Financeiro → Formas de pagamento: the network's omni payment methods (CD_FORMA_PAGTO_OMNI picks one per
 * business unit) and the finance document type each platform payment method raises. Admins edit the
 * mapping (confirmed, audited); everyone else reads it.
 */
export function PaymentMethodsPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const admin = isAdmin(me);
  const list = useLoad(
    async (signal) =>
      (await api<{ items: PaymentMethod[] }>('GET', '/api/v1/finance/payment-methods', undefined, signal))
        .items,
    [],
  );
  const [editing, setEditing] = useState<PaymentMethod | null>(null);
  const [feedback, setFeedback] = useState<string | null>(null);

  return (
    <section className="payment-methods-page" aria-labelledby="payment-methods-title">
      <header className="page-header">
        <h1 id="payment-methods-title">{t('finance.paymentMethods.title')}</h1>
        <p className="hint">{t('finance.paymentMethods.intro')}</p>
        {!admin && <p className="hint">{t('finance.paymentMethods.readOnly')}</p>}
      </header>
      {feedback && <Notice kind="success">{feedback}</Notice>}
      {list.error ? (
        <Notice kind="error">{describeErrorIn(t, list.error, 'finance.paymentMethods')}</Notice>
      ) : null}
      {list.loading && !list.data && <p className="loading">{t('finance.paymentMethods.loading')}</p>}
      {list.data && list.data.length === 0 && (
        <p className="empty-state">{t('finance.paymentMethods.empty')}</p>
      )}
      {editing && (
        <MappingForm
          key={editing.code}
          method={editing}
          onCancel={() => setEditing(null)}
          onStale={() => list.reload()}
          onSaved={(saved) => {
            setEditing(null);
            setFeedback(t('finance.paymentMethods.saved', { code: saved.code }));
            list.reload();
          }}
        />
      )}
      {list.data && list.data.length > 0 && (
        <div className="table-wrap">
          <table aria-busy={list.loading || undefined}>
            <thead>
              <tr>
                <th scope="col">{t('finance.paymentMethods.code')}</th>
                <th scope="col">{t('finance.paymentMethods.name')}</th>
                <th scope="col">{t('finance.paymentMethods.status')}</th>
                <th scope="col">{t('finance.paymentMethods.mapping')}</th>
                <th scope="col">{t('finance.paymentMethods.updatedAt')}</th>
                {admin && <th scope="col">{t('finance.paymentMethods.edit')}</th>}
              </tr>
            </thead>
            <tbody>
              {list.data.map((m) => (
                <tr key={m.code}>
                  <td>{m.code}</td>
                  <td>{m.name}</td>
                  <td>
                    {m.active ? t('finance.paymentMethods.active') : t('finance.paymentMethods.inactive')}
                  </td>
                  <td>
                    <ul className="plain-list">
                      {platformMethods.map((p) => (
                        <li key={p}>
                          {t(`finance.paymentMethods.platformMethods.${p}`)} →{' '}
                          {t(`finance.paymentMethods.documentTypes.${m.mapping[p]}`)}
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>{formatDateTime(m.updatedAt)}</td>
                  {admin && (
                    <td>
                      <button
                        type="button"
                        className="button"
                        aria-label={t('finance.paymentMethods.editTitle', { code: m.code })}
                        onClick={() => {
                          setFeedback(null);
                          setEditing(m);
                        }}
                      >
                        {t('finance.paymentMethods.edit')}
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function MappingForm(props: {
  method: PaymentMethod;
  onSaved(method: PaymentMethod): void;
  onCancel(): void;
  onStale(): void;
}) {
  const { t } = useTranslation();
  const ids = useId();
  const [name, setName] = useState(props.method.name);
  const [active, setActive] = useState(props.method.active);
  const [mapping, setMapping] = useState<Mapping>(props.method.mapping);
  const [confirming, setConfirming] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) {
      setFieldErrors({ name: t('fields.VALIDATION.REQUIRED') });
      return;
    }
    setConfirming(true);
  };

  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      const saved = await api<PaymentMethod>(
        'PUT',
        `/api/v1/finance/payment-methods/${encodeURIComponent(props.method.code)}`,
        { name: name.trim(), active, mapping, version: props.method.version },
      );
      setConfirming(false);
      props.onSaved(saved);
    } catch (err) {
      setConfirming(false);
      setError(describeErrorIn(t, err, 'finance.paymentMethods'));
      if (err instanceof ApiError) {
        const out: Record<string, string> = {};
        for (const fe of err.problem.errors ?? []) out[fe.path.replace(/^\//, '')] = fe.message;
        setFieldErrors(out);
        if (err.code === 'FINANCE.PAYMENT_METHOD_STALE') props.onStale();
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <form
        className="card payment-method-form"
        onSubmit={submit}
        noValidate
        aria-labelledby={`${ids}-title`}
      >
        <h2 id={`${ids}-title`}>{t('finance.paymentMethods.editTitle', { code: props.method.code })}</h2>
        {error && <Notice kind="error">{error}</Notice>}
        <div className="form-grid">
          <label className="field">
            <span>{t('finance.paymentMethods.name')}</span>
            <input
              value={name}
              maxLength={80}
              aria-invalid={fieldErrors.name ? true : undefined}
              onChange={(e) => {
                setName(e.target.value);
                setFieldErrors((f) => ({ ...f, name: '' }));
              }}
            />
            {fieldErrors.name && <span className="field-error">{fieldErrors.name}</span>}
          </label>
          <label className="active-toggle">
            <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />
            <span>{t('finance.paymentMethods.active')}</span>
          </label>
        </div>
        <fieldset className="mapping-grid">
          <legend>{t('finance.paymentMethods.mapping')}</legend>
          {platformMethods.map((p) => (
            <label key={p} className="field">
              <span>
                {t('finance.paymentMethods.platformMethod')}:{' '}
                {t(`finance.paymentMethods.platformMethods.${p}`)}
              </span>
              <select
                aria-label={`${t('finance.paymentMethods.documentType')} — ${t(`finance.paymentMethods.platformMethods.${p}`)}`}
                value={mapping[p]}
                onChange={(e) => setMapping((m) => ({ ...m, [p]: e.target.value as DocumentType }))}
              >
                {documentTypes.map((d) => (
                  <option key={d} value={d}>
                    {t(`finance.paymentMethods.documentTypes.${d}`)}
                  </option>
                ))}
              </select>
              {fieldErrors[`mapping/${p}`] && (
                <span className="field-error">{fieldErrors[`mapping/${p}`]}</span>
              )}
            </label>
          ))}
        </fieldset>
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={saving}>
            {saving ? t('finance.paymentMethods.saving') : t('finance.paymentMethods.save')}
          </button>
          <button type="button" className="button" onClick={props.onCancel} disabled={saving}>
            {t('finance.paymentMethods.cancel')}
          </button>
        </div>
      </form>
      {/* Outside the form: the dialog has its own, and a form inside a form would submit both. */}
      <ConfirmDialog
        open={confirming}
        title={t('finance.paymentMethods.confirmTitle')}
        message={t('finance.paymentMethods.confirmMessage', { code: props.method.code })}
        confirmLabel={t('finance.paymentMethods.save')}
        busy={saving}
        onConfirm={() => void save()}
        onCancel={() => setConfirming(false)}
      />
    </>
  );
}
