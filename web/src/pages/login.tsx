import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { Notice } from '../components/notice.tsx';
import { describeError } from '../errors.ts';

export function LoginPage() {
  const { t } = useTranslation();
  const auth = useAuth();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await auth.login(email, password);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setError(t('login.invalid'));
      else if (err instanceof ApiError && err.status === 429) setError(t('login.tooMany'));
      else setError(describeError(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login" id="main">
      <form className="card login-card" onSubmit={submit} aria-labelledby="login-title">
        <p className="brand">
          {t('app.name')} <small>{t('app.subtitle')}</small>
        </p>
        <h1 id="login-title">{t('login.title')}</h1>
        {auth.endedBecause === 'expired' && <Notice kind="info">{t('login.expired')}</Notice>}
        {auth.endedBecause === 'logout' && <Notice kind="info">{t('login.loggedOut')}</Notice>}
        <label className="field">
          <span>{t('login.email')}</span>
          <input
            type="email"
            autoComplete="username"
            required
            // biome-ignore lint/a11y/noAutofocus: the sign-in form is the whole page; typing starts here.
            autoFocus
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label className="field">
          <span>{t('login.password')}</span>
          <input
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error && <Notice kind="error">{error}</Notice>}
        <button type="submit" className="button primary wide" disabled={busy}>
          {busy ? t('login.submitting') : t('login.submit')}
        </button>
      </form>
    </main>
  );
}
