import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import type { FiscalDocumentListItem } from '../api/types.ts';
import { describeErrorIn } from '../components/error-text.ts';
import { LoadMore } from '../components/load-more.tsx';
import { Notice } from '../components/notice.tsx';
import { usePagedList } from '../components/paged-list.ts';
import { useLoad } from '../components/use-load.ts';
import { fieldErrors } from '../errors.ts';
import {
  apiQuery,
  type DocumentFilters,
  documentParams,
  documentStatuses,
  emptyFilters,
  isFiltered,
  readDocumentParams,
} from '../fiscal/document-params.ts';
import { FiscalStatus, modelName, referenceText } from '../fiscal/document-text.tsx';
import { formatDateTime, formatDocument, formatMoney } from '../format.ts';
import { allNodes } from '../network/all-nodes.ts';

/**
 * "Fiscal → Notas Fiscais" (seed 000 §4.2 step 9): the NF-e and NFC-e of the stores the user sees,
 * newest first, filtered by store, model, situation, period, number, key and recipient (kept in the
 * address), a page at a time; each opens its page with the XML, the DANFE, the events and the actions.
 */
export function FiscalDocumentsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const applied = useMemo(() => readDocumentParams(params), [params]);
  const [draft, setDraft] = useState<DocumentFilters>(applied);
  useEffect(() => setDraft(applied), [applied]);
  const list = usePagedList<FiscalDocumentListItem>(`/api/v1/fiscal-documents${apiQuery(applied)}`);
  const stores = useLoad(allNodes, []).data?.filter((n) => n.kind === 'store') ?? [];
  const invalid = fieldErrors(t, list.error);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setParams(documentParams(draft));
  };
  const clear = () => {
    setDraft(emptyFilters);
    setParams({});
  };
  const set = (field: keyof DocumentFilters) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [field]: e.target.value }));
  const errorOf = (path: string) =>
    invalid[path] ? (
      <span className="field-error" id={`fiscal-filter-${path.slice(1)}-error`}>
        {invalid[path]}
      </span>
    ) : null;
  const described = (path: string) =>
    invalid[path] ? { 'aria-invalid': true, 'aria-describedby': `fiscal-filter-${path.slice(1)}-error` } : {};

  return (
    <section className="fiscal-documents-page" aria-labelledby="fiscal-documents-title">
      <header className="page-header">
        <h1 id="fiscal-documents-title">{t('fiscal.documents.title')}</h1>
        <p className="hint">{t('fiscal.documents.intro')}</p>
      </header>

      <form className="filters" aria-label={t('fiscal.documents.filters.label')} onSubmit={apply}>
        {stores.length > 1 && (
          <label className="field">
            <span>{t('fiscal.documents.filters.store')}</span>
            <select value={draft.store} onChange={set('store')}>
              <option value="">{t('fiscal.documents.filters.storeAll')}</option>
              {stores.map((s) => (
                <option key={s.code} value={s.code}>
                  {s.code} — {s.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="field">
          <span>{t('fiscal.documents.filters.model')}</span>
          <select value={draft.model} onChange={set('model')}>
            <option value="">{t('fiscal.documents.filters.modelAll')}</option>
            <option value="55">{t('orders.fiscal.models.55')}</option>
            <option value="65">{t('orders.fiscal.models.65')}</option>
          </select>
        </label>
        <label className="field">
          <span>{t('fiscal.documents.filters.status')}</span>
          <select value={draft.status} onChange={set('status')}>
            <option value="">{t('fiscal.documents.filters.statusAll')}</option>
            {documentStatuses.map((s) => (
              <option key={s} value={s}>
                {t(`orders.fiscal.statuses.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('fiscal.documents.filters.from')}</span>
          <input type="date" value={draft.from} onChange={set('from')} {...described('/from')} />
          {errorOf('/from')}
        </label>
        <label className="field">
          <span>{t('fiscal.documents.filters.to')}</span>
          <input type="date" value={draft.to} onChange={set('to')} {...described('/to')} />
          {errorOf('/to')}
        </label>
        <label className="field">
          <span>{t('fiscal.documents.filters.number')}</span>
          <input
            type="text"
            inputMode="numeric"
            pattern="[0-9]{1,9}"
            maxLength={9}
            value={draft.number}
            onChange={set('number')}
            {...described('/number')}
          />
          {errorOf('/number')}
        </label>
        <label className="field fiscal-key-filter">
          <span>{t('fiscal.documents.filters.accessKey')}</span>
          <input
            type="search"
            inputMode="numeric"
            maxLength={60}
            value={draft.accessKey}
            title={t('fiscal.documents.filters.accessKeyHint')}
            placeholder={t('fiscal.documents.filters.accessKeyHint')}
            onChange={set('accessKey')}
            {...described('/accessKey')}
          />
          {errorOf('/accessKey')}
        </label>
        <label className="field">
          <span>{t('fiscal.documents.filters.q')}</span>
          <input
            type="search"
            maxLength={100}
            value={draft.q}
            placeholder={t('fiscal.documents.filters.qPlaceholder')}
            onChange={set('q')}
          />
        </label>
        <div className="filter-actions">
          <button type="submit" className="button primary">
            {t('fiscal.documents.filters.apply')}
          </button>
          <button type="button" className="button" onClick={clear} disabled={!isFiltered(applied)}>
            {t('fiscal.documents.filters.clear')}
          </button>
        </div>
      </form>

      {list.error && Object.keys(invalid).length === 0 ? (
        <Notice kind="error">{describeErrorIn(t, list.error, 'fiscal.documents')}</Notice>
      ) : null}

      {list.loading && list.items.length === 0 ? (
        <p className="loading">{t('actions.loading')}</p>
      ) : !list.error && list.items.length === 0 ? (
        <section className="empty-state" aria-live="polite">
          <h2>{t('fiscal.documents.empty.title')}</h2>
          <p>
            {isFiltered(applied) ? t('fiscal.documents.empty.filtered') : t('fiscal.documents.empty.none')}
          </p>
        </section>
      ) : list.items.length > 0 ? (
        <div className="table-wrap">
          <table
            className="fiscal-documents-table"
            aria-labelledby="fiscal-documents-title"
            aria-busy={list.loading || undefined}
          >
            <thead>
              <tr>
                <th scope="col">{t('fiscal.documents.table.document')}</th>
                <th scope="col">{t('fiscal.documents.table.issuedAt')}</th>
                <th scope="col">{t('fiscal.documents.table.store')}</th>
                <th scope="col">{t('fiscal.documents.table.recipient')}</th>
                <th scope="col">{t('fiscal.documents.table.reference')}</th>
                <th scope="col" className="numeric">
                  {t('fiscal.documents.table.total')}
                </th>
                <th scope="col">{t('fiscal.documents.table.status')}</th>
                <th scope="col">{t('fiscal.documents.table.key')}</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((d) => {
                const model = modelName(t, d.model);
                return (
                  <tr key={d.id} data-key={d.accessKey}>
                    <td>
                      <Link
                        to={`/fiscal/documents/${d.id}`}
                        aria-label={t('fiscal.documents.table.open', { model, number: d.number })}
                      >
                        {model} {t('orders.fiscal.numberSeries', { number: d.number, series: d.series })}
                      </Link>
                    </td>
                    <td>
                      <time dateTime={d.issuedAt}>{formatDateTime(d.issuedAt)}</time>
                    </td>
                    <td title={d.storeName}>{d.storeCode}</td>
                    <td>
                      {d.recipient ? (
                        <>
                          {d.recipient.name}
                          <small className="fiscal-recipient-document">
                            {formatDocument(d.recipient.document)}
                          </small>
                        </>
                      ) : (
                        <span className="hint">{t('fiscal.documents.table.noRecipient')}</span>
                      )}
                    </td>
                    <td>{referenceText(t, d.reference)}</td>
                    <td className="numeric">{d.total === null ? '' : formatMoney(d.total)}</td>
                    <td>
                      <FiscalStatus status={d.status} />
                      {d.rejection && (
                        <small className="fiscal-rejection-code" title={d.rejection.reason}>
                          {d.rejection.code}
                        </small>
                      )}
                    </td>
                    <td className="mono fiscal-key-cell">{d.formattedAccessKey}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      {list.nextCursor && <LoadMore list={list} />}
    </section>
  );
}
