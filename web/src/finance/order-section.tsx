import type { TFunction } from 'i18next';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Order, ResponseOf } from '../api/types.ts';
import { api } from '../api.ts';
import { describeErrorIn } from '../components/error-text.ts';
import { Notice } from '../components/notice.tsx';
import { useLoad } from '../components/use-load.ts';
import { formatDateTime, formatDay, formatDocument, formatMoney } from '../format.ts';
import './receivables.css';
import { RefundForm } from './refund-form.tsx';

export type PurchaseFinance = ResponseOf<'/api/v1/orders/{id}/finance', 'get'>;
type Receivable = PurchaseFinance['receivables'][number];

/** The state of a receivable as a coloured badge (colours in finance.css). */
export function ReceivableStateBadge({ state }: { state: Receivable['state'] }) {
  const { t } = useTranslation();
  return <span className={`finance-badge finance-${state}`}>{t(`finance.states.${state}`)}</span>;
}

/**
 * Who pays a receivable: the customer, the marketplace or the invoiced party, with the document; a
 * marketplace payment that named no marketplace is the customer's, and says so.
 */
export function partyText(t: TFunction, party: Receivable['party']): string {
  const who = party.name ?? t(`finance.parties.${party.kind}`);
  const text = `${who} · ${formatDocument(party.document)}`;
  return party.marketplaceUnnamed ? `${text} (${t('finance.marketplaceUnnamed')})` : text;
}

/** The order page's "Financeiro" section: receivables, advance, settlements and credits of its purchase. */
export function OrderFinanceSection({ order }: { order: Order }) {
  const { t } = useTranslation();
  const finance = useLoad(
    (signal) => api<PurchaseFinance>('GET', `/api/v1/orders/${order.id}/finance`, undefined, signal),
    [order.id, order.version, order.status],
  );
  const data = finance.data;
  const empty = data !== null && data.entries.length === 0;

  return (
    <section className="card order-section finance-section" aria-labelledby="order-finance">
      <h2 id="order-finance">{t('finance.order.title')}</h2>
      {finance.error ? <Notice kind="error">{describeErrorIn(t, finance.error, 'finance')}</Notice> : null}
      {!data && finance.loading && <p className="loading">{t('finance.order.loading')}</p>}
      {empty && (
        <p className="empty-state finance-empty" aria-live="polite">
          {t('finance.order.empty')}
        </p>
      )}
      {data && !empty && (
        <>
          {!data.balanced && <Notice kind="error">{t('finance.order.unbalanced')}</Notice>}
          {data.orders.length > 1 && (
            <p className="hint">{t('finance.order.family', { count: data.orders.length })}</p>
          )}
          <Receivables items={data.receivables} />
          {data.advance && <Advance advance={data.advance} />}
          {data.settlements.length > 0 && <Settlements items={data.settlements} />}
          {(data.credits.length > 0 || data.creditBalance !== '0.00') && <Credits data={data} />}
          {Number(data.creditBalance) > 0 && (
            <RefundForm orderId={order.id} credit={data.creditBalance} onDone={finance.reload} />
          )}
          <Entries entries={data.entries} />
        </>
      )}
    </section>
  );
}

function Receivables({ items }: { items: Receivable[] }) {
  const { t } = useTranslation();
  const [shown, setShown] = useState<Set<string>>(new Set());
  const toggle = (id: string) =>
    setShown((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  if (items.length === 0) return null;
  return (
    <section className="finance-block" aria-labelledby="finance-receivables">
      <h3 id="finance-receivables">{t('finance.order.receivables.title')}</h3>
      <div className="table-wrap">
        <table className="finance-table" aria-labelledby="finance-receivables">
          <thead>
            <tr>
              <th scope="col">{t('finance.order.receivables.documentType')}</th>
              <th scope="col">{t('finance.order.receivables.party')}</th>
              <th scope="col">{t('finance.order.receivables.store')}</th>
              <th scope="col" className="numeric">
                {t('finance.order.receivables.amount')}
              </th>
              <th scope="col" className="numeric">
                {t('finance.order.receivables.open')}
              </th>
              <th scope="col">{t('finance.order.receivables.state')}</th>
              <th scope="col">{t('finance.order.receivables.installments')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((r) => (
              <Fragment key={r.id}>
                <tr data-receivable={r.id}>
                  <td>
                    {t(`finance.documentTypes.${r.documentType}`)}
                    <small className="hint finance-code"> {r.paymentMethodCode}</small>
                  </td>
                  <td>{partyText(t, r.party)}</td>
                  <td title={r.storeName}>{r.storeCode}</td>
                  <td className="numeric">{formatMoney(r.amount)}</td>
                  <td className="numeric">{formatMoney(r.open)}</td>
                  <td>
                    <ReceivableStateBadge state={r.state} />
                  </td>
                  <td>
                    <button
                      type="button"
                      className="button small"
                      aria-expanded={shown.has(r.id)}
                      aria-controls={`installments-${r.id}`}
                      onClick={() => toggle(r.id)}
                    >
                      {t('finance.order.receivables.showInstallments', { count: r.installments.length })}
                    </button>
                  </td>
                </tr>
                {shown.has(r.id) && (
                  <tr id={`installments-${r.id}`} className="finance-installments">
                    <td colSpan={7}>
                      <table>
                        <thead>
                          <tr>
                            <th scope="col">{t('finance.order.receivables.installment')}</th>
                            <th scope="col">{t('finance.order.receivables.dueDate')}</th>
                            <th scope="col" className="numeric">
                              {t('finance.order.receivables.amount')}
                            </th>
                          </tr>
                        </thead>
                        <tbody>
                          {r.installments.map((i) => (
                            <tr key={i.number}>
                              <td>{i.number}</td>
                              <td>{formatDay(i.dueDate)}</td>
                              <td className="numeric">{formatMoney(i.amount)}</td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Advance({ advance }: { advance: NonNullable<PurchaseFinance['advance']> }) {
  const { t } = useTranslation();
  return (
    <section className="finance-block" aria-labelledby="finance-advance">
      <h3 id="finance-advance">
        {t('finance.order.advance.title')}{' '}
        <span className={`finance-badge finance-advance-${advance.state}`}>
          {t(`finance.order.advance.states.${advance.state}`)}
        </span>
      </h3>
      <dl className="finance-figures">
        <div>
          <dt>{t('finance.order.advance.amount')}</dt>
          <dd>{formatMoney(advance.amount)}</dd>
        </div>
        <div>
          <dt>{t('finance.order.advance.balance')}</dt>
          <dd>{formatMoney(advance.balance)}</dd>
        </div>
        <div>
          <dt>{t('finance.order.advance.settled')}</dt>
          <dd>{formatMoney(advance.settled)}</dd>
        </div>
        {advance.released !== '0.00' && (
          <div>
            <dt>{t('finance.order.advance.released')}</dt>
            <dd>{formatMoney(advance.released)}</dd>
          </div>
        )}
        {advance.kept !== '0.00' && (
          <div>
            <dt>{t('finance.order.advance.kept')}</dt>
            <dd>{formatMoney(advance.kept)}</dd>
          </div>
        )}
      </dl>
      {advance.byCompany.length > 0 && (
        <p className="hint">
          {t('finance.order.advance.byCompany')}:{' '}
          {advance.byCompany
            .map((c) => `${c.storeCode} — ${c.storeName}: ${formatMoney(c.balance)}`)
            .join('; ')}
        </p>
      )}
    </section>
  );
}

function Settlements({ items }: { items: PurchaseFinance['settlements'] }) {
  const { t } = useTranslation();
  return (
    <section className="finance-block" aria-labelledby="finance-settlements">
      <h3 id="finance-settlements">{t('finance.order.settlements.title')}</h3>
      <div className="table-wrap">
        <table className="finance-table" aria-labelledby="finance-settlements">
          <thead>
            <tr>
              <th scope="col">{t('finance.order.settlements.at')}</th>
              <th scope="col">{t('finance.order.settlements.order')}</th>
              <th scope="col">{t('finance.order.settlements.store')}</th>
              <th scope="col" className="numeric">
                {t('finance.order.settlements.amount')}
              </th>
              <th scope="col">{t('finance.order.settlements.documentKey')}</th>
              <th scope="col">{t('finance.order.settlements.state')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((s) => (
              <tr key={`${s.orderId}-${s.at}`}>
                <td>
                  <time dateTime={s.at}>{formatDateTime(s.at)}</time>
                </td>
                <td>{s.orderNumber ?? '—'}</td>
                <td title={s.storeName}>{s.storeCode}</td>
                <td className="numeric">{formatMoney(s.amount)}</td>
                <td className="mono finance-key">{s.documentKey ?? '—'}</td>
                <td>
                  <span className={`finance-badge finance-settlement-${s.state}`}>
                    {t(`finance.order.settlements.states.${s.state}`)}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Credits({ data }: { data: PurchaseFinance }) {
  const { t } = useTranslation();
  return (
    <section className="finance-block" aria-labelledby="finance-credits">
      <h3 id="finance-credits">{t('finance.order.credits.title')}</h3>
      {data.credits.length > 0 && (
        <div className="table-wrap">
          <table className="finance-table" aria-labelledby="finance-credits">
            <thead>
              <tr>
                <th scope="col">{t('finance.order.credits.at')}</th>
                <th scope="col">{t('finance.order.credits.kind')}</th>
                <th scope="col">{t('finance.order.credits.description')}</th>
                <th scope="col" className="numeric">
                  {t('finance.order.credits.amount')}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.credits.map((c) => (
                <tr key={`${c.kind}-${c.at}-${c.amount}`}>
                  <td>
                    <time dateTime={c.at}>{formatDateTime(c.at)}</time>
                  </td>
                  <td>{t(`finance.order.credits.kinds.${c.kind}`)}</td>
                  <td>{c.description}</td>
                  <td className="numeric">{formatMoney(c.amount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="finance-credit-balance">
        <strong>{t('finance.order.credits.balance', { amount: formatMoney(data.creditBalance) })}</strong>
      </p>
    </section>
  );
}

function Entries({ entries }: { entries: PurchaseFinance['entries'] }) {
  const { t } = useTranslation();
  return (
    <details className="finance-entries">
      <summary>{t('finance.order.entries.title', { count: entries.length })}</summary>
      <div className="table-wrap">
        <table className="finance-table">
          <thead>
            <tr>
              <th scope="col">{t('finance.order.entries.at')}</th>
              <th scope="col">{t('finance.order.entries.kind')}</th>
              <th scope="col">{t('finance.order.entries.store')}</th>
              <th scope="col">{t('finance.order.entries.account')}</th>
              <th scope="col" className="numeric">
                {t('finance.order.entries.debit')}
              </th>
              <th scope="col" className="numeric">
                {t('finance.order.entries.credit')}
              </th>
            </tr>
          </thead>
          <tbody>
            {entries.flatMap((e) =>
              e.movements.map((m, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: movements of an entry never move
                <tr key={`${e.id}-${i}`} className={i === 0 ? 'finance-entry-first' : undefined}>
                  <td>{i === 0 ? <time dateTime={e.at}>{formatDateTime(e.at)}</time> : null}</td>
                  <td>{i === 0 ? <span title={e.description}>{e.label}</span> : null}</td>
                  <td title={m.storeName}>{m.storeCode}</td>
                  <td>{m.accountLabel}</td>
                  <td className="numeric">{m.amount.startsWith('-') ? '' : formatMoney(m.amount)}</td>
                  <td className="numeric">
                    {m.amount.startsWith('-') ? formatMoney(m.amount.slice(1)) : ''}
                  </td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      </div>
    </details>
  );
}
