import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PasswordForm } from '../access/password-form.tsx';
import { browserOf } from '../access/user-agent.ts';
import type { Page, UserSession } from '../api/types.ts';
import { api } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { describeErrorIn } from '../components/error-text.ts';
import { Notice } from '../components/notice.tsx';
import { useLoad } from '../components/use-load.ts';
import { formatDateTime } from '../format.ts';

type Feedback = { kind: 'success' | 'error'; text: string } | null;

/** "Minha conta", for every user: their own password and their open sessions. */
export function AccountPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const sessions = useLoad(
    async (signal) => (await api<Page<UserSession>>('GET', '/api/v1/auth/sessions', undefined, signal)).items,
    [],
  );
  const [passwordFeedback, setPasswordFeedback] = useState<Feedback>(null);
  const [sessionFeedback, setSessionFeedback] = useState<Feedback>(null);
  const [ending, setEnding] = useState<UserSession | null>(null);
  const [busy, setBusy] = useState(false);
  const [endError, setEndError] = useState<string | null>(null);

  const browser = (s: UserSession) => {
    const found = browserOf(s.userAgent);
    return found ? t('access.browsers.on', found) : t('access.browsers.unknown');
  };

  const end = async () => {
    if (!ending) return;
    setBusy(true);
    setEndError(null);
    try {
      await api('DELETE', `/api/v1/auth/sessions/${ending.id}`);
      setEnding(null);
      setSessionFeedback({ kind: 'success', text: t('access.account.sessions.ended') });
      sessions.set((sessions.data ?? []).filter((s) => s.id !== ending.id));
    } catch (err) {
      setEndError(describeErrorIn(t, err, 'access'));
      sessions.reload();
    } finally {
      setBusy(false);
    }
  };

  if (!me) return null;
  return (
    <section className="account-page" aria-labelledby="account-title">
      <header className="page-header">
        <h1 id="account-title">{t('access.account.title')}</h1>
        <p className="hint">
          {me.name} · {me.nodeName} · {t(`roles.${me.actor}`)}
        </p>
      </header>

      <section className="card" aria-labelledby="password-title">
        <h2 id="password-title">{t('access.account.password.title')}</h2>
        {passwordFeedback && <Notice kind={passwordFeedback.kind}>{passwordFeedback.text}</Notice>}
        <PasswordForm
          onChanged={(result) => {
            setPasswordFeedback({
              kind: 'success',
              text:
                result.sessionsEnded > 0
                  ? t('access.account.password.doneOthers', { count: result.sessionsEnded })
                  : t('access.account.password.done'),
            });
            sessions.reload();
          }}
        />
      </section>

      <section className="card" aria-labelledby="sessions-title">
        <h2 id="sessions-title">{t('access.account.sessions.title')}</h2>
        <p className="hint">{t('access.account.sessions.intro')}</p>
        {sessionFeedback && <Notice kind={sessionFeedback.kind}>{sessionFeedback.text}</Notice>}
        {sessions.error ? <Notice kind="error">{describeErrorIn(t, sessions.error, 'access')}</Notice> : null}
        {!sessions.data && !sessions.error && <p className="loading">{t('actions.loading')}</p>}
        {sessions.data && (
          <div className="table-wrap">
            <table className="sessions-table">
              <thead>
                <tr>
                  <th scope="col">{t('access.account.sessions.createdAt')}</th>
                  <th scope="col">{t('access.account.sessions.expiresAt')}</th>
                  <th scope="col">{t('access.account.sessions.address')}</th>
                  <th scope="col">{t('access.account.sessions.browser')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('access.account.sessions.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {sessions.data.map((s) => (
                  <tr key={s.id} className={s.current ? 'current' : undefined}>
                    <td>{formatDateTime(s.createdAt)}</td>
                    <td>{formatDateTime(s.expiresAt)}</td>
                    <td className="mono">{s.address ?? t('access.account.sessions.unknown')}</td>
                    <td title={s.userAgent ?? undefined}>{browser(s)}</td>
                    <td className="row-actions">
                      {s.current ? (
                        <span className="tag">{t('access.account.sessions.current')}</span>
                      ) : (
                        <button
                          type="button"
                          className="button small danger-outline"
                          aria-label={t('access.account.sessions.endLabel', {
                            at: formatDateTime(s.createdAt),
                          })}
                          onClick={() => {
                            setSessionFeedback(null);
                            setEndError(null);
                            setEnding(s);
                          }}
                        >
                          {t('access.account.sessions.end')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {sessions.data.every((s) => s.current) && (
              <p className="hint">{t('access.account.sessions.empty')}</p>
            )}
          </div>
        )}
      </section>

      <ConfirmDialog
        open={ending !== null}
        title={t('access.account.sessions.endTitle')}
        message={
          ending ? (
            <p>
              {t('access.account.sessions.endMessage', {
                at: formatDateTime(ending.createdAt),
                browser: browser(ending),
              })}
            </p>
          ) : null
        }
        confirmLabel={t('access.account.sessions.end')}
        danger
        busy={busy}
        error={endError}
        onConfirm={() => void end()}
        onCancel={() => setEnding(null)}
      />
    </section>
  );
}
