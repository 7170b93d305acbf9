import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ResponseOf } from '../api/types.ts';
import { downloadFile, query } from '../api.ts';
import { describeErrorIn } from '../components/error-text.ts';
import { LoadMore } from '../components/load-more.tsx';
import { Notice } from '../components/notice.tsx';
import { usePagedList } from '../components/paged-list.ts';
import { useLoad } from '../components/use-load.ts';
import { describeField, fieldErrorsOf } from '../errors.ts';
import { formatDay, formatMoney } from '../format.ts';
import { allNodes } from '../network/all-nodes.ts';
import { partyText, ReceivableStateBadge } from './order-section.tsx';
import './receivables.css';

type ReceivableItem = ResponseOf<'/api/v1/finance/receivables', 'get'>['items'][number];

const documentTypes = ['credit_card', 'debit_card', 'pix', 'invoice', 'marketplace'] as const;
const states = ['open', 'partially_cancelled', 'cancelled'] as const;

interface Filters {
  storeCode: string;
  from: string;
  to: string;
  documentType: string;
  state: string;
}
const noFilters: Filters = { storeCode: '', from: '', to: '', documentType: '', state: '' };
const filtered = (f: Filters) => Object.values(f).some((v) => v !== '');

/**
 * Financeiro → Contas a receber: the receivables (faturas) of the stores the user sees, newest first,
 * filtered by store (admins), issue period, document type and state, a page at a time, exportable as CSV.
 */
export function ReceivablesPage() {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Filters>(noFilters);
  const [applied, setApplied] = useState<Filters>(noFilters);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<unknown>(null);
  const filterQuery = query({ ...applied });
  const list = usePagedList<ReceivableItem>(`/api/v1/finance/receivables${query({ ...applied, limit: 50 })}`);
  const stores = useLoad(allNodes, []).data?.filter((n) => n.kind === 'store') ?? [];
  // The filters' own sentences first (finance.receivables.fields), else the catalogue's.
  const invalid: Record<string, string> = Object.fromEntries(
    fieldErrorsOf(list.error).map((e) => [
      e.path,
      t(`finance.receivables.fields.${e.code.replace('FINANCE.', '')}`, { ...e.params, defaultValue: '' }) ||
        describeField(t, e),
    ]),
  );

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setApplied({ ...draft });
  };
  const clear = () => {
    setDraft(noFilters);
    setApplied(noFilters);
  };
  const set = (field: keyof Filters) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [field]: e.target.value }));
  const exportCsv = async () => {
    setExporting(true);
    setExportError(null);
    try {
      await downloadFile(`/api/v1/finance/receivables.csv${filterQuery}`, 'contas-a-receber.csv');
    } catch (error) {
      setExportError(error);
    } finally {
      setExporting(false);
    }
  };
  const errorOf = (path: string) =>
    invalid[path] ? (
      <span className="field-error" id={`receivables-filter-${path.slice(1)}-error`}>
        {invalid[path]}
      </span>
    ) : null;
  const described = (path: string) =>
    invalid[path]
      ? { 'aria-invalid': true, 'aria-describedby': `receivables-filter-${path.slice(1)}-error` }
      : {};

  return (
    <section className="receivables-page" aria-labelledby="receivables-title">
      <header className="page-header">
        <h1 id="receivables-title">{t('finance.receivables.title')}</h1>
        <p className="hint">{t('finance.receivables.intro')}</p>
      </header>

      <form className="filters" aria-label={t('finance.receivables.filters.label')} onSubmit={apply}>
        {stores.length > 1 && (
          <label className="field">
            <span>{t('finance.receivables.filters.store')}</span>
            <select value={draft.storeCode} onChange={set('storeCode')}>
              <option value="">{t('finance.receivables.filters.storeAll')}</option>
              {stores.map((s) => (
                <option key={s.code} value={s.code}>
                  {s.code} — {s.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="field">
          <span>{t('finance.receivables.filters.from')}</span>
          <input type="date" value={draft.from} onChange={set('from')} {...described('/from')} />
          {errorOf('/from')}
        </label>
        <label className="field">
          <span>{t('finance.receivables.filters.to')}</span>
          <input type="date" value={draft.to} onChange={set('to')} {...described('/to')} />
          {errorOf('/to')}
        </label>
        <label className="field">
          <span>{t('finance.receivables.filters.documentType')}</span>
          <select value={draft.documentType} onChange={set('documentType')}>
            <option value="">{t('finance.receivables.filters.documentTypeAll')}</option>
            {documentTypes.map((d) => (
              <option key={d} value={d}>
                {t(`finance.documentTypes.${d}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('finance.receivables.filters.state')}</span>
          <select value={draft.state} onChange={set('state')}>
            <option value="">{t('finance.receivables.filters.stateAll')}</option>
            {states.map((s) => (
              <option key={s} value={s}>
                {t(`finance.states.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <div className="filter-actions">
          <button type="submit" className="button primary">
            {t('finance.receivables.filters.apply')}
          </button>
          <button type="button" className="button" onClick={clear} disabled={!filtered(applied)}>
            {t('finance.receivables.filters.clear')}
          </button>
          <button
            type="button"
            className="button"
            onClick={() => void exportCsv()}
            disabled={exporting || list.items.length === 0}
          >
            {exporting ? t('finance.receivables.filters.exporting') : t('finance.receivables.filters.export')}
          </button>
        </div>
      </form>

      {exportError ? (
        <Notice kind="error">{describeErrorIn(t, exportError, 'finance.receivables')}</Notice>
      ) : null}
      {list.error && Object.keys(invalid).length === 0 ? (
        <Notice kind="error">{describeErrorIn(t, list.error, 'finance.receivables')}</Notice>
      ) : null}

      {list.loading && list.items.length === 0 ? (
        <p className="loading">{t('actions.loading')}</p>
      ) : !list.error && list.items.length === 0 ? (
        <section className="empty-state" aria-live="polite">
          <h2>{t('finance.receivables.empty.title')}</h2>
          <p>
            {filtered(applied)
              ? t('finance.receivables.empty.filtered')
              : t('finance.receivables.empty.none')}
          </p>
        </section>
      ) : list.items.length > 0 ? (
        <div className="table-wrap">
          <table
            className="receivables-table"
            aria-labelledby="receivables-title"
            aria-busy={list.loading || undefined}
          >
            <thead>
              <tr>
                <th scope="col">{t('finance.receivables.table.issuedOn')}</th>
                <th scope="col">{t('finance.receivables.table.store')}</th>
                <th scope="col">{t('finance.receivables.table.order')}</th>
                <th scope="col">{t('finance.receivables.table.customer')}</th>
                <th scope="col">{t('finance.receivables.table.documentType')}</th>
                <th scope="col">{t('finance.receivables.table.party')}</th>
                <th scope="col" className="numeric">
                  {t('finance.receivables.table.installments')}
                </th>
                <th scope="col" className="numeric">
                  {t('finance.receivables.table.amount')}
                </th>
                <th scope="col" className="numeric">
                  {t('finance.receivables.table.open')}
                </th>
                <th scope="col">{t('finance.receivables.table.state')}</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((r) => (
                <tr key={r.id} data-receivable={r.id}>
                  <td>{formatDay(r.issuedOn)}</td>
                  <td title={r.storeName}>{r.storeCode}</td>
                  <td className="receivables-order">
                    <Link
                      to={`/orders/${r.orderId}`}
                      aria-label={t('finance.receivables.table.openOrder', { number: r.order.number ?? '' })}
                    >
                      {r.order.number ?? '—'}
                    </Link>
                    {r.order.externalId && <small>{r.order.externalId}</small>}
                  </td>
                  <td>{r.order.customerName ?? '—'}</td>
                  <td>{t(`finance.documentTypes.${r.documentType}`)}</td>
                  <td>{partyText(t, r.party)}</td>
                  <td className="numeric">{r.installments.length}</td>
                  <td className="numeric">{formatMoney(r.amount)}</td>
                  <td className="numeric">{formatMoney(r.open)}</td>
                  <td>
                    <ReceivableStateBadge state={r.state} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {list.nextCursor && (
        <p className="list-footer">
          <LoadMore list={list} />
        </p>
      )}
    </section>
  );
}
