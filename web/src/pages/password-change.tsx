import { useTranslation } from 'react-i18next';
import { PasswordForm } from '../access/password-form.tsx';
import { useAuth } from '../auth.tsx';

/**
 * Shown instead of the whole app while the user holds a temporary password (the server refuses everything
 * else meanwhile): they choose their own, then the app opens.
 */
export function PasswordChangePage() {
  const { t } = useTranslation();
  const { me, reload, logout } = useAuth();
  return (
    <main className="login" id="main">
      <section className="card login-card forced-change" aria-labelledby="forced-title">
        <p className="brand">
          {t('app.name')} <small>{t('app.subtitle')}</small>
        </p>
        <h1 id="forced-title">{t('access.forced.title')}</h1>
        <p className="hint">{t('access.forced.intro')}</p>
        {me && (
          <p className="hint">
            {me.name} · {me.nodeName}
          </p>
        )}
        <PasswordForm
          currentLabel={t('access.forced.current')}
          submitLabel={t('access.forced.submit')}
          onChanged={() => reload()}
        />
        <button type="button" className="button link" onClick={() => void logout()}>
          {t('access.forced.logout')}
        </button>
      </section>
    </main>
  );
}
