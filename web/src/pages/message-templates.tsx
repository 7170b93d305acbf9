import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { NotificationTemplate } from '../api/types.ts';
import { api } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { describeErrorIn } from '../components/error-text.ts';
import { Notice } from '../components/notice.tsx';
import { useLoad } from '../components/use-load.ts';
import { fieldErrors } from '../errors.ts';
import { formatDateTime } from '../format.ts';
import '../notifications/notifications.css';

type Text = Pick<NotificationTemplate, 'subject' | 'text' | 'html'>;

/**
 * Mensagens: the network's texts of each message (Liquid), changed only by users holding IN_ALT_MENSAGEM;
 * "Restaurar padrão" brings the shipped text back. Others read them.
 */
export function MessageTemplatesPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const mayEdit = me?.permissions.includes('IN_ALT_MENSAGEM') === true;
  const loaded = useLoad(
    () => api<{ items: NotificationTemplate[] }>('GET', '/api/v1/notification-templates'),
    [],
  );
  const [code, setCode] = useState('');
  const [draft, setDraft] = useState<Text | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const items = loaded.data?.items ?? [];
  const current = items.find((i) => i.code === code) ?? items[0];

  useEffect(() => {
    if (!current) return;
    setCode(current.code);
    setDraft({ subject: current.subject, text: current.text, html: current.html });
  }, [current]);

  const invalid = fieldErrors(t, error);
  const set = (field: keyof Text) => (e: { target: { value: string } }) =>
    setDraft((d) => (d ? { ...d, [field]: e.target.value } : d));
  const replace = (next: NotificationTemplate, message: string) => {
    loaded.set({ items: items.map((i) => (i.code === next.code ? next : i)) });
    setDone(message);
  };
  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!current || !draft) return;
    setSaving(true);
    setError(null);
    setDone(null);
    try {
      replace(
        await api<NotificationTemplate>('PUT', `/api/v1/notification-templates/${current.code}`, draft),
        t('notifications.editor.saved'),
      );
    } catch (failure) {
      setError(failure);
    } finally {
      setSaving(false);
    }
  };
  const reset = async () => {
    if (
      !current ||
      !window.confirm(
        t('notifications.editor.resetMessage', { name: t(`notifications.templates.${current.code}`) }),
      )
    )
      return;
    setError(null);
    try {
      replace(
        await api<NotificationTemplate>('DELETE', `/api/v1/notification-templates/${current.code}`),
        t('notifications.editor.resetDone'),
      );
    } catch (failure) {
      setError(failure);
    }
  };

  return (
    <section className="template-editor" aria-labelledby="templates-title">
      <header className="page-header">
        <h1 id="templates-title">{t('notifications.editor.title')}</h1>
        <p className="hint">{t('notifications.editor.intro')}</p>
      </header>
      {!mayEdit && <Notice kind="info">{t('notifications.editor.noPermission')}</Notice>}
      {loaded.error ? (
        <Notice kind="error">{describeErrorIn(t, loaded.error, 'notifications')}</Notice>
      ) : null}
      {current && draft && (
        <form className="card" onSubmit={save}>
          <label className="field">
            <span>{t('notifications.editor.choose')}</span>
            <select
              value={current.code}
              onChange={(e) => {
                setCode(e.target.value);
                setError(null);
                setDone(null);
              }}
            >
              {items.map((i) => (
                <option key={i.code} value={i.code}>
                  {t(`notifications.templates.${i.code}`)}
                </option>
              ))}
            </select>
          </label>
          <p className="hint">
            {current.customised && current.updatedAt
              ? t('notifications.editor.customised', {
                  by: current.updatedBy,
                  at: formatDateTime(current.updatedAt),
                })
              : t('notifications.editor.shipped')}
          </p>
          <label className="field">
            <span>{t('notifications.editor.subject')}</span>
            <input value={draft.subject} onChange={set('subject')} readOnly={!mayEdit} />
            {invalid['/subject'] && <span className="field-error">{invalid['/subject']}</span>}
          </label>
          <label className="field">
            <span>{t('notifications.editor.text')}</span>
            <textarea rows={8} value={draft.text} onChange={set('text')} readOnly={!mayEdit} />
            {invalid['/text'] && <span className="field-error">{invalid['/text']}</span>}
          </label>
          <label className="field">
            <span>{t('notifications.editor.html')}</span>
            <textarea rows={14} value={draft.html} onChange={set('html')} readOnly={!mayEdit} />
            {invalid['/html'] && <span className="field-error">{invalid['/html']}</span>}
          </label>
          <h2>{t('notifications.editor.variables')}</h2>
          <dl className="template-variables">
            {Object.entries(current.variables).map(([name, meaning]) => (
              <div key={name}>
                <dt>{`{{ ${name} }}`}</dt>
                <dd>{meaning}</dd>
              </div>
            ))}
          </dl>
          <p className="hint">
            {t('notifications.editor.whatsapp')}: {current.whatsappParameters.join(', ')}
          </p>
          {error ? <Notice kind="error">{describeErrorIn(t, error, 'notifications')}</Notice> : null}
          {done && <Notice kind="success">{done}</Notice>}
          {mayEdit && (
            <div className="form-actions">
              <button type="submit" className="button primary" disabled={saving}>
                {saving ? t('notifications.editor.saving') : t('notifications.editor.save')}
              </button>
              {current.customised && (
                <button type="button" className="button" onClick={() => void reset()}>
                  {t('notifications.editor.reset')}
                </button>
              )}
            </div>
          )}
        </form>
      )}
    </section>
  );
}
