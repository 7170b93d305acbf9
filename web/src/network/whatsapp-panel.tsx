import { type FormEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { NetworkNode, WhatsAppAccount, WhatsAppAccountInput, WhatsAppTestResult } from '../api/types.ts';
import { ApiError, api } from '../api.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { describeErrorIn } from '../components/error-text.ts';
import { fieldLayout } from '../components/form-fields.tsx';
import { Notice } from '../components/notice.tsx';
import { formatDateTime } from '../format.ts';

type TemplateCode = keyof WhatsAppAccount['templates'];
const templateCodes: TemplateCode[] = [
  'order_accepted',
  'order_ready_for_pickup',
  'order_invoiced',
  'order_in_transit',
  'order_delivered',
];
type Key = 'phoneNumberId' | 'businessAccountId' | 'accessToken' | 'baseUrl' | 'apiVersion' | 'language';
type Errors = Partial<Record<Key | TemplateCode, string>>;

const GRAPH_ID = /^\d{5,30}$/;
const API_VERSION = /^v\d{1,2}\.\d$/;
const LANGUAGE = /^[a-z]{2,3}(_[A-Z]{2})?$/;
const TEMPLATE_NAME = /^[a-z0-9_]{1,512}$/;

/**
 * The network's WhatsApp Business account ("WhatsApp", a network node's page): the number's and the
 * account's ids, the access token (write-only: the API only says one is stored), the approved template
 * of each message, the active switch, removal (asked first) and "Enviar teste". Network admins change it;
 * a central admin sees it.
 */
export function WhatsAppPanel({ node, manages }: { node: NetworkNode; manages: boolean }) {
  const { t } = useTranslation();
  const [account, setAccount] = useState<WhatsAppAccount | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [feedback, setFeedback] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const path = `/api/v1/nodes/${encodeURIComponent(node.code)}/whatsapp`;

  useEffect(() => {
    const abort = new AbortController();
    setAccount(null);
    setLoadError(null);
    api<WhatsAppAccount>('GET', path, undefined, abort.signal)
      .then(setAccount)
      .catch((err: unknown) => {
        if (!abort.signal.aborted) setLoadError(err);
      });
    return () => abort.abort();
  }, [path]);

  return (
    <section className="card whatsapp-panel" aria-labelledby="whatsapp-panel-title">
      <div className="section-head">
        <div>
          <h2 id="whatsapp-panel-title">{t('whatsapp.title')}</h2>
          <p className="section-hint">{t('whatsapp.intro')}</p>
        </div>
      </div>
      {loadError ? <Notice kind="error">{describeErrorIn(t, loadError, 'whatsapp')}</Notice> : null}
      {!account && !loadError && <p className="loading compact">{t('whatsapp.loading')}</p>}
      {feedback && <Notice kind={feedback.kind}>{feedback.text}</Notice>}
      {account && <AccountState account={account} />}
      {account && !manages && <p className="hint read-only-note">{t('whatsapp.readOnly')}</p>}
      {account && manages && (
        <AccountForm
          key={account.updatedAt ?? 'new'}
          path={path}
          account={account}
          onSaved={(saved, text) => {
            setAccount(saved);
            setFeedback({ kind: 'success', text });
          }}
        />
      )}
      {account && manages && <TestSend path={path} configured={account.configured} />}
    </section>
  );
}

function AccountState({ account }: { account: WhatsAppAccount }) {
  const { t } = useTranslation();
  if (!account.configured) return <Notice kind="info">{t('whatsapp.notConfigured')}</Notice>;
  return (
    <>
      {!account.active && <p className="notice warning">{t('whatsapp.paused')}</p>}
      <dl className="facts" data-testid="whatsapp-account">
        <div>
          <dt>{t('whatsapp.fields.status')}</dt>
          <dd>{account.active ? t('whatsapp.status.active') : t('whatsapp.status.paused')}</dd>
        </div>
        <div>
          <dt>{t('whatsapp.fields.phoneNumberId')}</dt>
          <dd className="code">{account.phoneNumberId}</dd>
        </div>
        <div>
          <dt>{t('whatsapp.fields.businessAccountId')}</dt>
          <dd className="code">{account.businessAccountId}</dd>
        </div>
        <div>
          <dt>{t('whatsapp.fields.token')}</dt>
          <dd data-testid="whatsapp-token">
            {account.tokenStored ? t('whatsapp.tokenStored') : t('whatsapp.tokenMissing')}
          </dd>
        </div>
        {templateCodes.map((code) => (
          <div key={code}>
            <dt>{t(`whatsapp.templates.${code}`)}</dt>
            <dd className="code">{account.templates[code]}</dd>
          </div>
        ))}
      </dl>
      {account.updatedAt && (
        <p className="hint">{t('whatsapp.updatedAt', { at: formatDateTime(account.updatedAt) })}</p>
      )}
    </>
  );
}

function AccountForm(props: {
  path: string;
  account: WhatsAppAccount;
  onSaved(account: WhatsAppAccount, text: string): void;
}) {
  const { t } = useTranslation();
  const ids = useId();
  const { account } = props;
  const [values, setValues] = useState<Record<Key, string>>({
    phoneNumberId: account.phoneNumberId ?? '',
    businessAccountId: account.businessAccountId ?? '',
    accessToken: '',
    baseUrl: account.baseUrl,
    apiVersion: account.apiVersion,
    language: account.language,
  });
  const [templates, setTemplates] = useState<Record<TemplateCode, string>>({ ...account.templates });
  const [active, setActive] = useState(account.configured ? account.active : true);
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [confirmError, setConfirmError] = useState<string | null>(null);

  const set = (key: Key, value: string) => {
    setValues((v) => ({ ...v, [key]: value }));
    setErrors((e) => ({ ...e, [key]: undefined }));
  };

  const validate = (): Errors => {
    const found: Errors = {};
    if (!GRAPH_ID.test(values.phoneNumberId.trim())) found.phoneNumberId = t('whatsapp.invalid.graphId');
    if (!GRAPH_ID.test(values.businessAccountId.trim()))
      found.businessAccountId = t('whatsapp.invalid.graphId');
    if (!account.tokenStored && !values.accessToken.trim())
      found.accessToken = t('whatsapp.invalid.tokenRequired');
    if (!/^https?:\/\/[^\s]+$/.test(values.baseUrl.trim())) found.baseUrl = t('whatsapp.invalid.baseUrl');
    if (!API_VERSION.test(values.apiVersion.trim())) found.apiVersion = t('whatsapp.invalid.apiVersion');
    if (!LANGUAGE.test(values.language.trim())) found.language = t('whatsapp.invalid.language');
    for (const code of templateCodes)
      if (!TEMPLATE_NAME.test(templates[code].trim())) found[code] = t('whatsapp.invalid.templateName');
    return found;
  };

  /** The API's field errors (JSON pointers) in the form's words. */
  const fromServer = (err: unknown): Errors => {
    if (!(err instanceof ApiError)) return {};
    const found: Errors = {};
    const text: Record<string, string> = {
      'WHATSAPP.GRAPH_ID_FORMAT': t('whatsapp.invalid.graphId'),
      'WHATSAPP.TOKEN_REQUIRED': t('whatsapp.invalid.tokenRequired'),
      'WHATSAPP.TOKEN_FORMAT': t('whatsapp.invalid.token'),
      'WHATSAPP.BASE_URL_INVALID': t('whatsapp.invalid.baseUrl'),
      'WHATSAPP.API_VERSION_FORMAT': t('whatsapp.invalid.apiVersion'),
      'WHATSAPP.LANGUAGE_FORMAT': t('whatsapp.invalid.language'),
      'WHATSAPP.TEMPLATE_NAME_FORMAT': t('whatsapp.invalid.templateName'),
    };
    for (const { path, code } of err.problem.errors ?? []) {
      const key = path.replace(/^\/(templates\/)?/, '') as Key | TemplateCode;
      found[key] = text[code ?? ''] ?? t('whatsapp.invalid.fields');
    }
    return found;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFormError(null);
    const found = validate();
    setErrors(found);
    const first = Object.keys(found)[0];
    if (first) {
      document.getElementById(`${ids}-${first}`)?.focus();
      return;
    }
    setSaving(true);
    try {
      const body: WhatsAppAccountInput = {
        phoneNumberId: values.phoneNumberId.trim(),
        businessAccountId: values.businessAccountId.trim(),
        ...(values.accessToken.trim() ? { accessToken: values.accessToken.trim() } : {}),
        baseUrl: values.baseUrl.trim(),
        apiVersion: values.apiVersion.trim(),
        language: values.language.trim(),
        templates: Object.fromEntries(templateCodes.map((c) => [c, templates[c].trim()])),
        active,
      };
      props.onSaved(await api<WhatsAppAccount>('PUT', props.path, body), t('whatsapp.saved'));
    } catch (err) {
      const byField = fromServer(err);
      setErrors(byField);
      const firstServer = Object.keys(byField)[0];
      if (firstServer) {
        setFormError(t('whatsapp.invalid.fields'));
        document.getElementById(`${ids}-${firstServer}`)?.focus();
      } else setFormError(describeErrorIn(t, err, 'whatsapp'));
    } finally {
      setSaving(false);
    }
  };

  const remove = async () => {
    setSaving(true);
    setConfirmError(null);
    try {
      await api('DELETE', props.path);
      setConfirming(false);
      props.onSaved(
        { ...account, configured: false, tokenStored: false, active: false, updatedAt: null },
        t('whatsapp.removed'),
      );
    } catch (err) {
      setConfirmError(describeErrorIn(t, err, 'whatsapp'));
    } finally {
      setSaving(false);
    }
  };

  const { field, described } = fieldLayout<Key | TemplateCode>(ids, errors);
  const input = (
    key: Key,
    extra: { hint?: boolean; type?: string; emptyText?: string; mono?: boolean } = {},
  ) => (
    <input
      id={`${ids}-${key}`}
      type={extra.type ?? 'text'}
      value={values[key]}
      spellCheck={false}
      autoComplete={extra.type === 'password' ? 'new-password' : 'off'}
      className={extra.mono ? 'mono' : undefined}
      placeholder={extra.emptyText}
      aria-invalid={errors[key] ? true : undefined}
      aria-describedby={described(key, extra.hint)}
      onChange={(e) => set(key, e.target.value)}
    />
  );

  return (
    <>
      <form className="whatsapp-form" onSubmit={(e) => void submit(e)} noValidate>
        <div className="form-grid">
          {field(
            'phoneNumberId',
            t('whatsapp.fields.phoneNumberId'),
            input('phoneNumberId', { hint: true }),
            t('whatsapp.hints.ids'),
          )}
          {field('businessAccountId', t('whatsapp.fields.businessAccountId'), input('businessAccountId'))}
          {field(
            'accessToken',
            t('whatsapp.fields.accessToken'),
            input('accessToken', {
              hint: true,
              type: 'password',
              mono: true,
              emptyText: account.tokenStored ? t('whatsapp.tokenStored') : undefined,
            }),
            account.tokenStored ? t('whatsapp.hints.tokenKeep') : t('whatsapp.hints.tokenNew'),
          )}
          {field(
            'baseUrl',
            t('whatsapp.fields.baseUrl'),
            input('baseUrl', { hint: true }),
            t('whatsapp.hints.baseUrl'),
          )}
          {field('apiVersion', t('whatsapp.fields.apiVersion'), input('apiVersion'))}
          {field(
            'language',
            t('whatsapp.fields.language'),
            input('language', { hint: true }),
            t('whatsapp.hints.language'),
          )}
        </div>
        <fieldset className="choices">
          <legend>{t('whatsapp.templates.title')}</legend>
          <p className="hint">{t('whatsapp.hints.templates')}</p>
          <div className="form-grid">
            {templateCodes.map((code) =>
              field(
                code,
                t(`whatsapp.templates.${code}`),
                <input
                  id={`${ids}-${code}`}
                  value={templates[code]}
                  spellCheck={false}
                  className="mono"
                  aria-invalid={errors[code] ? true : undefined}
                  aria-describedby={described(code)}
                  onChange={(e) => {
                    setTemplates((x) => ({ ...x, [code]: e.target.value }));
                    setErrors((x) => ({ ...x, [code]: undefined }));
                  }}
                />,
              ),
            )}
          </div>
        </fieldset>
        <label className="check-line">
          <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />
          {t('whatsapp.fields.active')}
        </label>
        {formError && (
          <p className="notice error" role="alert">
            {formError}
          </p>
        )}
        <div className="editor-actions">
          <button type="submit" className="button primary" disabled={saving}>
            {saving && !confirming ? t('actions.saving') : t('whatsapp.save')}
          </button>
          {account.configured && (
            <button
              type="button"
              className="button danger-outline"
              disabled={saving}
              onClick={() => {
                setConfirmError(null);
                setConfirming(true);
              }}
            >
              {t('whatsapp.remove')}
            </button>
          )}
        </div>
      </form>
      <ConfirmDialog
        open={confirming}
        title={t('whatsapp.confirmRemove.title')}
        message={<p>{t('whatsapp.confirmRemove.message')}</p>}
        confirmLabel={t('whatsapp.confirmRemove.confirm')}
        danger
        busy={saving}
        error={confirmError}
        onConfirm={() => void remove()}
        onCancel={() => setConfirming(false)}
      />
    </>
  );
}

/** "Enviar teste": Meta's hello_world to a number; what the API answered is shown as it is. */
function TestSend({ path, configured }: { path: string; configured: boolean }) {
  const { t } = useTranslation();
  const ids = useId();
  const [to, setTo] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<WhatsAppTestResult | null>(null);
  const [running, setRunning] = useState(false);

  const run = async (e: FormEvent) => {
    e.preventDefault();
    setResult(null);
    if (to.replace(/\D/g, '').length < 10) {
      setError(t('whatsapp.invalid.phone'));
      return;
    }
    setError(null);
    setRunning(true);
    try {
      setResult(await api<WhatsAppTestResult>('POST', `${path}/test`, { to: to.trim() }));
    } catch (err) {
      setError(describeErrorIn(t, err, 'whatsapp'));
    } finally {
      setRunning(false);
    }
  };

  return (
    <form
      className="communication-check"
      data-testid="whatsapp-test"
      onSubmit={(e) => void run(e)}
      noValidate
    >
      <h3>{t('whatsapp.test.title')}</h3>
      <p className="hint">{configured ? t('whatsapp.test.hint') : t('whatsapp.test.saveFirst')}</p>
      <div className="field">
        <label htmlFor={`${ids}-to`}>
          <span>{t('whatsapp.test.to')}</span>
        </label>
        <input
          id={`${ids}-to`}
          type="tel"
          inputMode="tel"
          value={to}
          maxLength={30}
          disabled={!configured}
          placeholder="(11) 98765-4321"
          aria-invalid={error ? true : undefined}
          onChange={(e) => {
            setTo(e.target.value);
            setError(null);
          }}
        />
      </div>
      <div className="toolbar">
        <button type="submit" className="button" disabled={running || !configured}>
          {running ? t('whatsapp.test.sending') : t('whatsapp.test.send')}
        </button>
      </div>
      {error && (
        <p className="notice error" role="alert">
          {error}
        </p>
      )}
      {result?.ok === true && (
        <p className="notice success" role="status">
          {t('whatsapp.test.sent', { to: result.to, id: result.providerId, ms: result.elapsedMs })}
        </p>
      )}
      {result?.ok === false && (
        <p className="notice warning" role="status">
          {t('whatsapp.test.failed', {
            kind: t(`whatsapp.test.kinds.${result.kind}`),
            message: result.message,
          })}
          {!result.permanent && ` ${t('whatsapp.test.retryable')}`}
        </p>
      )}
    </form>
  );
}
