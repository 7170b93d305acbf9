import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import type { ResponseOf } from '../api/types.ts';
import { api, downloadFile, query } from '../api.ts';
import { describeErrorIn } from '../components/error-text.ts';
import { Notice } from '../components/notice.tsx';
import { useLoad } from '../components/use-load.ts';
import { formatDay, formatMoney, todayInSaoPaulo } from '../format.ts';
import { allNodes } from '../network/all-nodes.ts';
import './finance-admin.css';

type Closing = ResponseOf<'/api/v1/finance/closing', 'get'>;
type StoreClosing = Closing['stores'][number];

const figureNames = [
  'accepted',
  'invoiced',
  'invoiceCancellations',
  'advancesReleased',
  'advancesKept',
  'credited',
] as const;
const lineNames = ['sales', 'cancellations', 'returns'] as const;

/**
 * Financeiro → Fechamento diário (seed 003: a franchise closes its books with the hub): per store and São
 * Paulo day, the money the ledger moved and its reconciliation with the day's fiscal documents, the orders
 * that differ linked to their pages; the same as CSV. Store and day live in the address.
 */
export function ClosingPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const applied = { store: params.get('store') ?? '', day: params.get('day') ?? todayInSaoPaulo() };
  const [draft, setDraft] = useState(applied);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the draft follows the address.
  useEffect(() => setDraft(applied), [applied.store, applied.day]);
  const stores = useLoad(allNodes, []).data?.filter((n) => n.kind === 'store') ?? [];
  const apiQuery = query({ storeCode: applied.store || undefined, day: applied.day });
  const closing = useLoad(
    (signal) => api<Closing>('GET', `/api/v1/finance/closing${apiQuery}`, undefined, signal),
    [apiQuery],
  );
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    const next: Record<string, string> = { day: draft.day };
    if (draft.store) next.store = draft.store;
    setParams(next);
  };
  const exportCsv = async () => {
    setExporting(true);
    setExportError(null);
    try {
      await downloadFile(`/api/v1/finance/closing.csv${apiQuery}`, `fechamento-${applied.day}.csv`);
    } catch (err) {
      setExportError(describeErrorIn(t, err, 'finance.closing'));
    } finally {
      setExporting(false);
    }
  };

  return (
    <section className="closing-page" aria-labelledby="closing-title">
      <header className="page-header">
        <h1 id="closing-title">{t('finance.closing.title')}</h1>
        <p className="hint">{t('finance.closing.intro')}</p>
      </header>

      <form className="filters" aria-label={t('finance.closing.filters')} onSubmit={apply}>
        {stores.length > 1 && (
          <label className="field">
            <span>{t('finance.closing.store')}</span>
            <select value={draft.store} onChange={(e) => setDraft((d) => ({ ...d, store: e.target.value }))}>
              <option value="">{t('finance.closing.storeAll')}</option>
              {stores.map((s) => (
                <option key={s.code} value={s.code}>
                  {s.code} — {s.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="field">
          <span>{t('finance.closing.day')}</span>
          <input
            type="date"
            required
            value={draft.day}
            onChange={(e) => setDraft((d) => ({ ...d, day: e.target.value }))}
          />
        </label>
        <div className="filter-actions">
          <button type="submit" className="button primary">
            {t('finance.closing.show')}
          </button>
          <button
            type="button"
            className="button"
            onClick={() => void exportCsv()}
            disabled={exporting || !closing.data}
          >
            {exporting ? t('finance.closing.exporting') : t('finance.closing.exportCsv')}
          </button>
        </div>
      </form>

      {exportError && <Notice kind="error">{exportError}</Notice>}
      {closing.error ? (
        <Notice kind="error">{describeErrorIn(t, closing.error, 'finance.closing')}</Notice>
      ) : null}
      {closing.loading && !closing.data && <p className="loading">{t('finance.closing.loading')}</p>}
      {closing.data && closing.data.stores.length === 0 && (
        <p className="empty-state">{t('finance.closing.noStores')}</p>
      )}
      {closing.data?.stores.map((s) => (
        <StoreDay key={s.storeCode} store={s} day={closing.data!.day} />
      ))}
    </section>
  );
}

function StoreDay({ store, day }: { store: StoreClosing; day: string }) {
  const { t } = useTranslation();
  const r = store.reconciliation;
  const headingId = `closing-${store.storeCode}`;
  return (
    <article className="closing-store card" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {t('finance.closing.storeTitle', { code: store.storeCode, name: store.storeName })}
        <span className="hint">{formatDay(day)}</span>
        <span className={`reconciled-state ${r.reconciled ? 'ok' : 'off'}`} role="status">
          {r.reconciled ? t('finance.closing.reconciled') : t('finance.closing.notReconciled')}
        </span>
      </h2>
      {store.empty ? (
        <p className="empty-state">{t('finance.closing.empty')}</p>
      ) : (
        <div className="closing-grid">
          <section aria-label={t('finance.closing.figures')}>
            <h3>{t('finance.closing.figures')}</h3>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('finance.closing.figure')}</th>
                  <th scope="col" className="number">
                    {t('finance.closing.count')}
                  </th>
                  <th scope="col" className="number">
                    {t('finance.closing.value')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {figureNames.map((name) => (
                  <tr key={name}>
                    <th scope="row">{t(`finance.closing.items.${name}`)}</th>
                    <td className="number">{store[name].count}</td>
                    <td className="number">{formatMoney(store[name].value)}</td>
                  </tr>
                ))}
                {store.refunded.byMethod.map((m) => (
                  <tr key={m.method}>
                    <th scope="row">
                      {t('finance.closing.refunds')}: {t(`finance.closing.refundMethods.${m.method}`)}
                    </th>
                    <td className="number">{m.count}</td>
                    <td className="number">{formatMoney(m.value)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section aria-label={t('finance.closing.accounts')}>
            <h3>{t('finance.closing.accounts')}</h3>
            {store.accounts.length === 0 ? (
              <p className="hint">{t('finance.closing.noAccounts')}</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('finance.closing.account')}</th>
                    <th scope="col" className="number">
                      {t('finance.closing.debit')}
                    </th>
                    <th scope="col" className="number">
                      {t('finance.closing.credit')}
                    </th>
                    <th scope="col" className="number">
                      {t('finance.closing.net')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {store.accounts.map((a) => (
                    <tr key={a.account}>
                      <th scope="row">{a.label}</th>
                      <td className="number">{formatMoney(a.debit)}</td>
                      <td className="number">{formatMoney(a.credit)}</td>
                      <td className="number">{formatMoney(a.net)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </div>
      )}
      <section aria-label={t('finance.closing.reconciliation')}>
        <h3>{t('finance.closing.reconciliation')}</h3>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('finance.closing.kind')}</th>
              <th scope="col" className="number">
                {t('finance.closing.fiscal')}
              </th>
              <th scope="col" className="number">
                {t('finance.closing.finance')}
              </th>
              <th scope="col" className="number">
                {t('finance.closing.difference')}
              </th>
            </tr>
          </thead>
          <tbody>
            {lineNames.map((name) => (
              <tr key={name}>
                <th scope="row">{t(`finance.closing.lines.${name}`)}</th>
                <td className="number">
                  {r[name].fiscal.count} · {formatMoney(r[name].fiscal.value)}
                </td>
                <td className="number">
                  {r[name].finance.count} · {formatMoney(r[name].finance.value)}
                </td>
                <td className="number">{formatMoney(r[name].difference)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {r.differences.length > 0 && (
          <div className="closing-differences">
            <h4>{t('finance.closing.differences')}</h4>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('finance.closing.order')}</th>
                  <th scope="col">{t('finance.closing.kind')}</th>
                  <th scope="col" className="number">
                    {t('finance.closing.fiscal')}
                  </th>
                  <th scope="col" className="number">
                    {t('finance.closing.finance')}
                  </th>
                  <th scope="col" className="number">
                    {t('finance.closing.difference')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {r.differences.map((d) => (
                  <tr key={`${d.kind}-${d.reference}`}>
                    <td>
                      {d.orderId ? (
                        <Link to={`/orders/${d.orderId}`}>{t('finance.closing.openOrder')}</Link>
                      ) : (
                        t('finance.closing.unknownOrder', { reference: d.reference })
                      )}
                    </td>
                    <td>{t(`finance.closing.lines.${d.kind}`)}</td>
                    <td className="number">{formatMoney(d.fiscal)}</td>
                    <td className="number">{formatMoney(d.finance)}</td>
                    <td className="number">{formatMoney(d.difference)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </article>
  );
}
