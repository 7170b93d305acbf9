import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { PosPairing } from '../api/types.ts';
import { Notice } from '../components/notice.tsx';
import { POS_KEY } from './pos-api.ts';

type Paired = PosPairing['client'];

/**
 * "Parear este PDV": public, outside the back office's sign-in. The cashier types the short code an admin
 * generated; the answer is a key of that store's POS client, kept in localStorage, never shown.
 */
export function PosPairPage() {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [paired, setPaired] = useState<Paired | null>(null);
  const [hadKey] = useState(() => localStorage.getItem(POS_KEY) !== null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!code.trim()) {
      setError(t('pos.pair.errors.empty'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const res = await fetch('/api/v1/pos/pairing', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ code: code.trim() }),
      });
      if (res.status === 201) {
        const answer = (await res.json()) as PosPairing;
        localStorage.setItem(POS_KEY, answer.key);
        setPaired(answer.client);
        setCode('');
      } else if (res.status === 422 || res.status === 400) {
        setError(t('pos.pair.errors.invalid'));
      } else if (res.status === 429) {
        setError(t('pos.pair.errors.tooMany'));
      } else {
        setError(t('pos.pair.errors.generic'));
      }
    } catch {
      setError(t('pos.pair.errors.network'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login pos-pair">
      <section className="login-card" aria-labelledby="pos-pair-title">
        <h1 id="pos-pair-title">{t('pos.pair.title')}</h1>
        {paired ? (
          <>
            <Notice kind="success">
              {t('pos.pair.paired', { storeCode: paired.storeCode, name: paired.name })}
            </Notice>
            <p>{t('pos.pair.store', { name: paired.storeName })}</p>
            <p className="hint">{t('pos.pair.keyKept')}</p>
            <Link className="button primary wide pos-big" to="/pos">
              {t('pos.pair.toCounter')}
            </Link>
          </>
        ) : (
          <form onSubmit={(e) => void submit(e)} noValidate>
            <p>{t('pos.pair.intro')}</p>
            {hadKey && <Notice kind="info">{t('pos.pair.already')}</Notice>}
            <div className="field">
              <label htmlFor="pos-pair-code">
                <span>{t('pos.pair.code')}</span>
              </label>
              <input
                id="pos-pair-code"
                className="mono pairing-input"
                value={code}
                maxLength={16}
                autoComplete="off"
                autoCapitalize="characters"
                spellCheck={false}
                aria-invalid={error ? true : undefined}
                aria-describedby={`pos-pair-hint${error ? ' pos-pair-error' : ''}`}
                onChange={(e) => {
                  setCode(e.target.value.toUpperCase());
                  setError(null);
                }}
              />
              <span id="pos-pair-hint" className="hint">
                {t('pos.pair.codeHint')}
              </span>
              {error && (
                <span id="pos-pair-error" className="field-error" role="alert">
                  {error}
                </span>
              )}
            </div>
            <button type="submit" className="button primary wide" disabled={busy}>
              {busy ? t('pos.pair.submitting') : t('pos.pair.submit')}
            </button>
          </form>
        )}
      </section>
    </main>
  );
}
