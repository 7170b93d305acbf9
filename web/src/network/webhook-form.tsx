import { type FormEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiClient, Webhook } from '../api/types.ts';
import { ApiError, api } from '../api.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { describeErrorIn } from '../components/error-text.ts';
import { Notice } from '../components/notice.tsx';
import { fieldErrors } from '../errors.ts';
import { formatDateTime } from '../format.ts';

/** The API refuses shorter secrets (integration/domain.ts MIN_SECRET_LENGTH). */
const MIN_SECRET = 16;

/** 32 random bytes as 64 hex digits, drawn in the browser: the secret never exists anywhere else first. */
export function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function urlProblem(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      (url.protocol !== 'http:' && url.protocol !== 'https:') ||
      !url.hostname ||
      !!url.username ||
      !!url.password
    );
  } catch {
    return true;
  }
}

type Errors = { url?: string; secret?: string };

/**
 * The platform client's webhook: where order status changes are POSTed and the secret that signs them.
 * The secret is write-only (the API shows its last 4 characters): left blank, the current one stays;
 * a new webhook needs one, typed or generated here. Pausing and removing ask first.
 */
export function WebhookForm({ client }: { client: ApiClient }) {
  const { t } = useTranslation();
  const ids = useId();
  const [webhook, setWebhook] = useState<Webhook | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState('');
  const [showSecret, setShowSecret] = useState(false);
  const [generated, setGenerated] = useState(false);
  const [copied, setCopied] = useState(false);
  const [active, setActive] = useState(true);
  const [errors, setErrors] = useState<Errors>({});
  const [saving, setSaving] = useState(false);
  const [feedback, setFeedback] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [confirming, setConfirming] = useState<'pause' | 'remove' | null>(null);
  const [confirmError, setConfirmError] = useState<string | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    api<Webhook>('GET', `/api/v1/api-clients/${client.id}/webhook`, undefined, abort.signal)
      .then((w) => {
        setWebhook(w);
        setUrl(w.url);
        setActive(w.active);
      })
      .catch((err: unknown) => {
        if (abort.signal.aborted) return;
        if (
          err instanceof ApiError &&
          err.status === 404 &&
          err.code === 'INTEGRATION.WEBHOOK_NOT_CONFIGURED'
        ) {
          setWebhook(null);
        } else setLoadError(err);
      });
    return () => abort.abort();
  }, [client.id]);

  const validate = (): Errors => {
    const found: Errors = {};
    if (urlProblem(url.trim())) found.url = t('network.integrations.webhook.invalid.url');
    const keepCurrent = webhook && secret === '';
    if (!keepCurrent && (secret.length < MIN_SECRET || secret.trim() !== secret)) {
      found.secret = t('network.integrations.webhook.invalid.secret', { min: MIN_SECRET });
    }
    return found;
  };

  const save = async () => {
    setSaving(true);
    setConfirmError(null);
    try {
      const saved = await api<Webhook>('PUT', `/api/v1/api-clients/${client.id}/webhook`, {
        url: url.trim(),
        ...(secret === '' ? {} : { secret }),
        active,
      });
      setWebhook(saved);
      setUrl(saved.url);
      setSecret('');
      setShowSecret(false);
      setGenerated(false);
      setConfirming(null);
      setFeedback({
        kind: 'success',
        text: saved.active
          ? t('network.integrations.webhook.saved', { url: saved.url })
          : t('network.integrations.webhook.savedPaused'),
      });
    } catch (err) {
      const byField = fieldErrors(t, err);
      const found: Errors = {};
      if (byField['/url']) found.url = t('network.integrations.webhook.invalid.url');
      if (byField['/secret'])
        found.secret = t('network.integrations.webhook.invalid.secret', { min: MIN_SECRET });
      setErrors(found);
      const text = describeErrorIn(t, err, 'network');
      if (confirming) setConfirmError(text);
      else setFeedback({ kind: 'error', text });
    } finally {
      setSaving(false);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setFeedback(null);
    const found = validate();
    setErrors(found);
    if (found.url || found.secret) {
      document.getElementById(found.url ? `${ids}-url` : `${ids}-secret`)?.focus();
      return;
    }
    // Pausing deliveries that run (or creating a paused webhook) stops the platform hearing of orders.
    if (!active && (webhook === null || webhook?.active)) setConfirming('pause');
    else void save();
  };

  const remove = async () => {
    setSaving(true);
    setConfirmError(null);
    try {
      await api('DELETE', `/api/v1/api-clients/${client.id}/webhook`);
      setWebhook(null);
      setActive(true);
      setConfirming(null);
      setFeedback({ kind: 'success', text: t('network.integrations.webhook.removed') });
    } catch (err) {
      setConfirmError(describeErrorIn(t, err, 'network'));
    } finally {
      setSaving(false);
    }
  };

  const titleId = `${ids}-title`;
  return (
    <section className="card webhook" aria-labelledby={titleId}>
      <h2 id={titleId}>{t('network.integrations.webhook.title', { name: client.name })}</h2>
      <p className="hint">{t('network.integrations.webhook.explain')}</p>
      {loadError ? <Notice kind="error">{describeErrorIn(t, loadError, 'network')}</Notice> : null}
      {webhook === undefined && !loadError && <p className="loading">{t('actions.loading')}</p>}
      {webhook === null && <Notice kind="info">{t('network.integrations.webhook.notConfigured')}</Notice>}
      {webhook && (
        <p
          className={webhook.active ? 'webhook-state on' : 'webhook-state paused'}
          data-testid="webhook-state"
        >
          {webhook.active
            ? t('network.integrations.webhook.current', { url: webhook.url })
            : t('network.integrations.webhook.currentPaused', { url: webhook.url })}
          <small>
            {t('network.integrations.webhook.updatedAt', { at: formatDateTime(webhook.updatedAt) })}
          </small>
        </p>
      )}
      {feedback && <Notice kind={feedback.kind}>{feedback.text}</Notice>}

      {webhook !== undefined && (
        <form className="webhook-form" onSubmit={submit} noValidate>
          <div className="field">
            <label htmlFor={`${ids}-url`}>
              <span>{t('network.integrations.webhook.url')}</span>
            </label>
            <input
              id={`${ids}-url`}
              type="url"
              value={url}
              maxLength={2000}
              spellCheck={false}
              placeholder={t('network.integrations.webhook.urlPlaceholder')}
              aria-invalid={errors.url ? true : undefined}
              aria-describedby={errors.url ? `${ids}-url-error` : undefined}
              onChange={(e) => {
                setUrl(e.target.value);
                setErrors((x) => ({ ...x, url: undefined }));
              }}
            />
            {errors.url && (
              <span id={`${ids}-url-error`} className="field-error">
                {errors.url}
              </span>
            )}
          </div>

          <div className="field">
            <label htmlFor={`${ids}-secret`}>
              <span>{t('network.integrations.webhook.secret')}</span>
            </label>
            <div className="secret-row">
              <input
                id={`${ids}-secret`}
                type={showSecret ? 'text' : 'password'}
                value={secret}
                maxLength={256}
                autoComplete="new-password"
                spellCheck={false}
                className="mono"
                placeholder={webhook ? `••••••••${webhook.secretLast4}` : undefined}
                aria-invalid={errors.secret ? true : undefined}
                aria-describedby={`${ids}-secret-hint${errors.secret ? ` ${ids}-secret-error` : ''}`}
                onChange={(e) => {
                  setSecret(e.target.value);
                  setGenerated(false);
                  setCopied(false);
                  setErrors((x) => ({ ...x, secret: undefined }));
                }}
              />
              <button
                type="button"
                className="button"
                aria-pressed={showSecret}
                aria-label={
                  showSecret
                    ? t('network.integrations.webhook.hideLabel')
                    : t('network.integrations.webhook.showLabel')
                }
                onClick={() => setShowSecret((s) => !s)}
              >
                {showSecret ? t('network.integrations.webhook.hide') : t('network.integrations.webhook.show')}
              </button>
              <button
                type="button"
                className="button"
                onClick={() => {
                  setSecret(randomSecret());
                  setShowSecret(true);
                  setGenerated(true);
                  setCopied(false);
                  setErrors((x) => ({ ...x, secret: undefined }));
                }}
              >
                {t('network.integrations.webhook.generate')}
              </button>
              {secret && (
                <button
                  type="button"
                  className="button"
                  onClick={() =>
                    void navigator.clipboard
                      ?.writeText(secret)
                      .then(() => setCopied(true))
                      .catch(() => setCopied(false))
                  }
                >
                  {t('network.integrations.webhook.copy')}
                </button>
              )}
            </div>
            <span id={`${ids}-secret-hint`} className="hint">
              {generated
                ? t('network.integrations.webhook.generatedHint')
                : webhook
                  ? t('network.integrations.webhook.secretHintExisting', { last4: webhook.secretLast4 })
                  : t('network.integrations.webhook.secretHintNew')}
            </span>
            {copied && (
              <span className="hint ok" role="status">
                {t('network.integrations.webhook.copied')}
              </span>
            )}
            {errors.secret && (
              <span id={`${ids}-secret-error`} className="field-error">
                {errors.secret}
              </span>
            )}
          </div>

          <label className="check-line">
            <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />
            {t('network.integrations.webhook.active')}
          </label>
          <p className="hint">{t('network.integrations.webhook.activeHint')}</p>

          <div className="editor-actions">
            <button type="submit" className="button primary" disabled={saving}>
              {saving && !confirming ? t('actions.saving') : t('network.integrations.webhook.save')}
            </button>
            {webhook && (
              <button
                type="button"
                className="button danger-outline"
                disabled={saving}
                onClick={() => {
                  setFeedback(null);
                  setConfirmError(null);
                  setConfirming('remove');
                }}
              >
                {t('network.integrations.webhook.remove')}
              </button>
            )}
          </div>
        </form>
      )}

      {/* One dialog for both questions: the dialog's title id is fixed, two would share it. */}
      <ConfirmDialog
        open={confirming !== null}
        title={
          confirming === 'remove'
            ? t('network.integrations.webhook.confirmRemove.title')
            : t('network.integrations.webhook.confirmPause.title')
        }
        message={
          <p>
            {confirming === 'remove'
              ? t('network.integrations.webhook.confirmRemove.message', { name: client.name })
              : t('network.integrations.webhook.confirmPause.message')}
          </p>
        }
        confirmLabel={
          confirming === 'remove'
            ? t('network.integrations.webhook.confirmRemove.confirm')
            : t('network.integrations.webhook.confirmPause.confirm')
        }
        danger
        busy={saving}
        error={confirmError}
        onConfirm={() => void (confirming === 'remove' ? remove() : save())}
        onCancel={() => setConfirming(null)}
      />
    </section>
  );
}
