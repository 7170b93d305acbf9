import { useTranslation } from 'react-i18next';
import type { StockRow } from '../api/types.ts';
import { query } from '../api.ts';
import { describeErrorIn } from '../components/error-text.ts';
import { LoadMore } from '../components/load-more.tsx';
import { Notice } from '../components/notice.tsx';
import { usePagedList } from '../components/paged-list.ts';

const byStore = (a: StockRow, b: StockRow) =>
  a.storeCode.localeCompare(b.storeCode, 'pt-BR', { numeric: true });

/** "Estoque por loja" of one SKU: every store the user sees, with what is on hand, reserved and free. */
export function StockPanel({ sku, storeNames }: { sku: string; storeNames: ReadonlyMap<string, string> }) {
  const { t } = useTranslation();
  const list = usePagedList<StockRow>(`/api/v1/stock${query({ sku, limit: 200 })}`);
  const rows = [...list.items].sort(byStore);
  const sum = (pick: (r: StockRow) => number | undefined) => rows.reduce((n, r) => n + (pick(r) ?? 0), 0);
  const titleId = `stock-${sku}`;

  return (
    <section className="stock-panel" aria-labelledby={titleId}>
      <h3 id={titleId}>{t('catalog.stock.title', { sku })}</h3>
      {list.loading && <p className="hint">{t('catalog.stock.loading')}</p>}
      {list.error ? <Notice kind="error">{describeErrorIn(t, list.error, 'catalog')}</Notice> : null}
      {!list.loading && !list.error && rows.length === 0 && (
        <p className="hint">{t('catalog.stock.empty')}</p>
      )}
      {rows.length > 0 && (
        <table className="stock-table">
          <thead>
            <tr>
              <th scope="col">{t('catalog.stock.store')}</th>
              <th scope="col" className="num">
                {t('catalog.stock.onHand')}
              </th>
              <th scope="col" className="num">
                {t('catalog.stock.reserved')}
              </th>
              <th scope="col" className="num">
                {t('catalog.stock.available')}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.storeCode} data-store={r.storeCode}>
                <th scope="row">
                  <span className="code">{r.storeCode}</span> {storeNames.get(r.storeCode) ?? ''}
                </th>
                <td className="num">{r.onHand ?? '—'}</td>
                <td className="num">{r.reserved ?? '—'}</td>
                <td className="num">
                  <strong>{r.available}</strong>
                </td>
              </tr>
            ))}
          </tbody>
          {rows.length > 1 && (
            <tfoot>
              <tr className="total-row">
                <th scope="row">{t('catalog.stock.total')}</th>
                <td className="num">{sum((r) => r.onHand)}</td>
                <td className="num">{sum((r) => r.reserved)}</td>
                <td className="num">
                  <strong>{sum((r) => r.available)}</strong>
                </td>
              </tr>
            </tfoot>
          )}
        </table>
      )}
      {list.nextCursor && <LoadMore list={list} small />}
    </section>
  );
}
