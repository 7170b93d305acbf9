import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrderNote, Page } from '../api/types.ts';
import { api, query } from '../api.ts';
import { describeErrorIn } from '../components/error-text.ts';
import { Notice } from '../components/notice.tsx';
import { formatDateTime } from '../format.ts';

const NOTE_MAX = 2000;

/**
 * "Observações" (seeds 003 PEDFM237): the order's notes, newest first, each with its author and time, and a
 * form to add one. Notes are never edited or deleted, so the list only grows.
 */
export function OrderNotes({ orderId }: { orderId: string }) {
  const { t } = useTranslation();
  const id = useId();
  const [items, setItems] = useState<OrderNote[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [text, setText] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  const load = useCallback(
    async (cursor?: string) => {
      try {
        const page = await api<Page<OrderNote>>(
          'GET',
          `/api/v1/orders/${orderId}/notes${query({ limit: 20, ...(cursor ? { cursor } : {}) })}`,
        );
        setItems((old) => (cursor ? [...(old ?? []), ...page.items] : page.items));
        setNext(page.nextCursor);
        setLoadError(null);
      } catch (err) {
        setLoadError(err);
      }
    },
    [orderId],
  );

  useEffect(() => {
    void load();
  }, [load]);

  const add = async () => {
    if (!text.trim() || saving) return;
    setSaving(true);
    setError(null);
    setSaved(false);
    try {
      const note = await api<OrderNote>('POST', `/api/v1/orders/${orderId}/notes`, { text });
      setItems((old) => [note, ...(old ?? [])]);
      setText('');
      setSaved(true);
    } catch (err) {
      setError(describeErrorIn(t, err, 'orders'));
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className="card order-section order-notes" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('orders.notes.title')}</h2>
      {loadError ? (
        <Notice kind="error">{describeErrorIn(t, loadError, 'orders')}</Notice>
      ) : items === null ? (
        <p className="loading">{t('orders.notes.loading')}</p>
      ) : items.length === 0 ? (
        <p className="hint">{t('orders.notes.empty')}</p>
      ) : (
        <ol aria-label={t('orders.notes.title')}>
          {items.map((n) => (
            <li key={n.id}>
              <p>{n.text}</p>
              <span className="hint">
                {t('orders.notes.by', { name: n.author.name, at: formatDateTime(n.at) })}
              </span>
            </li>
          ))}
        </ol>
      )}
      {next && (
        <button type="button" className="button small" onClick={() => void load(next)}>
          {t('orders.notes.more')}
        </button>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-text`}>{t('orders.notes.label')}</label>
          <textarea
            id={`${id}-text`}
            name="note"
            rows={3}
            maxLength={NOTE_MAX}
            value={text}
            aria-describedby={`${id}-hint`}
            onChange={(e) => {
              setText(e.target.value);
              setSaved(false);
            }}
          />
          <span className="hint" id={`${id}-hint`}>
            {t('orders.notes.hint')}
          </span>
        </div>
        {error && <Notice kind="error">{error}</Notice>}
        {saved && <Notice kind="success">{t('orders.notes.added')}</Notice>}
        <button type="submit" className="button" disabled={saving || !text.trim()}>
          {saving ? t('orders.notes.adding') : t('orders.notes.add')}
        </button>
      </form>
    </section>
  );
}
