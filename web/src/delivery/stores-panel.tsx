import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Experience } from '../api/types.ts';

/** The companies copied from a configuration, kept by the page to paste into another. */
export interface CopiedStores {
  origin: string;
  storeCodes: string[];
}

import { api } from '../api.ts';
import { describeErrorIn } from '../components/error-text.ts';
import { Notice } from '../components/notice.tsx';

export interface StoreChoice {
  code: string;
  name: string;
}

/**
 * The companies enabled under a configuration (PDVFM093 "Empresa"): add, remove, and "Copiar" /
 * "Colar" — the copied list lives in the page, so it can be pasted into another configuration; both
 * buttons say where it came from.
 */
export function StoresPanel(props: {
  experience: Experience;
  choices: StoreChoice[];
  copied: CopiedStores | null;
  onCopy(copied: CopiedStores): void;
  onChanged(e: Experience): void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const { experience, copied } = props;
  const [adding, setAdding] = useState('');
  const [busy, setBusy] = useState(false);
  const [feedback, setFeedback] = useState<{ kind: 'success' | 'error' | 'info'; text: string } | null>(null);
  const enabled = experience.stores.map((s) => s.code);
  const addable = props.choices.filter((c) => !enabled.includes(c.code));

  const save = async (storeCodes: string[], success: string) => {
    setBusy(true);
    setFeedback(null);
    try {
      const saved = await api<Experience>(
        'PUT',
        `/api/v1/delivery-experiences/${encodeURIComponent(experience.code)}/stores`,
        { storeCodes, version: experience.version },
      );
      props.onChanged(saved);
      setFeedback({ kind: 'success', text: success });
    } catch (err) {
      setFeedback({ kind: 'error', text: describeErrorIn(t, err, 'delivery') });
    } finally {
      setBusy(false);
    }
  };

  const copiedTitle = copied
    ? t('delivery.stores.copiedFrom', { code: copied.origin, count: copied.storeCodes.length })
    : t('delivery.stores.copyTitle');

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('delivery.stores.title')}</h2>
      {experience.stores.length === 0 ? (
        <p className="hint">{t('delivery.stores.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('delivery.stores.code')}</th>
                <th scope="col">{t('delivery.stores.name')}</th>
                <th scope="col">{t('delivery.stores.city')}</th>
                <th scope="col">{t('delivery.stores.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {experience.stores.map((s) => (
                <tr key={s.code} data-store={s.code}>
                  <td className="code">{s.code}</td>
                  <td>
                    {s.name}
                    {!s.active && <span className="tag muted">{t('delivery.stores.inactive')}</span>}
                  </td>
                  <td>{s.city && s.state ? `${s.city}/${s.state}` : '—'}</td>
                  <td>
                    <button
                      type="button"
                      className="button"
                      disabled={busy}
                      aria-label={t('delivery.stores.remove', { name: s.name })}
                      onClick={() =>
                        void save(
                          enabled.filter((c) => c !== s.code),
                          t('delivery.stores.saved', { code: experience.code }),
                        )
                      }
                    >
                      ✕
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="store-tools">
        <label className="field">
          <span>{t('delivery.stores.addLabel')}</span>
          <select
            value={adding}
            onChange={(e) => setAdding(e.target.value)}
            disabled={busy || addable.length === 0}
          >
            <option value="">{t('delivery.stores.choose')}</option>
            {addable.map((c) => (
              <option key={c.code} value={c.code}>
                {c.code} — {c.name}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="button"
          disabled={busy || !adding}
          onClick={() => {
            const code = adding;
            setAdding('');
            void save([...enabled, code], t('delivery.stores.saved', { code: experience.code }));
          }}
        >
          {t('delivery.stores.addButton')}
        </button>
        <button
          type="button"
          className="button"
          title={copiedTitle}
          disabled={busy}
          onClick={() => {
            props.onCopy({ origin: experience.code, storeCodes: enabled });
            setFeedback({
              kind: 'info',
              text: t('delivery.stores.copied', { code: experience.code, count: enabled.length }),
            });
          }}
        >
          {t('delivery.stores.copy')}
        </button>
        <button
          type="button"
          className="button"
          title={copied ? copiedTitle : t('delivery.stores.pasteNothing')}
          disabled={busy || !copied}
          onClick={() =>
            copied &&
            void save(
              copied.storeCodes,
              t('delivery.stores.pasted', { origin: copied.origin, code: experience.code }),
            )
          }
        >
          {t('delivery.stores.paste')}
          {copied ? ` (${copied.origin})` : ''}
        </button>
      </div>
      {feedback && <Notice kind={feedback.kind}>{feedback.text}</Notice>}
    </section>
  );
}
