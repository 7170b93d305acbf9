import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { StockRequest } from '../api/types.ts';
import { useAuth } from '../auth.tsx';
import { formatDate, formatDateTime } from '../format.ts';
import { ContentDeclarationButton, hasContentDeclaration } from './content-declaration.tsx';
import { sidesOf } from './request-actions.tsx';

export function RequestStatusBadge({ status }: { status: StockRequest['status'] }) {
  const { t } = useTranslation();
  return <span className={`status request-${status}`}>{t(`split.statuses.${status}`)}</span>;
}

export interface RequestMoves {
  accept(r: StockRequest): void;
  reject(r: StockRequest): void;
  invoice(r: StockRequest): void;
  receive(r: StockRequest): void;
  danfe(documentId: string): void;
}

/**
 * Stock requests as a table: the order, both companies, the items, the status with its block or refusal
 * reason, the dates, the transfer's DANFE, and the moves this user's side may make now.
 */
export function RequestTable(props: {
  items: readonly StockRequest[];
  moves: RequestMoves;
  /** Which moves to offer: the support side's, the main store's, or whichever side the user is on. */
  side?: 'support' | 'main';
  /** Hide the order column (inside the order's own page). */
  hideOrder?: boolean;
}) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const { moves } = props;
  return (
    <div className="table-wrap">
      <table className="requests-table">
        <thead>
          <tr>
            {!props.hideOrder && <th scope="col">{t('split.requests.columns.order')}</th>}
            <th scope="col">{t('split.requests.columns.support')}</th>
            <th scope="col">{t('split.requests.columns.main')}</th>
            <th scope="col">{t('split.requests.columns.items')}</th>
            <th scope="col">{t('split.requests.columns.status')}</th>
            <th scope="col">{t('split.requests.columns.createdAt')}</th>
            <th scope="col">{t('split.requests.columns.expectedAt')}</th>
            <th scope="col">{t('split.requests.columns.transfer')}</th>
            <th scope="col">{t('split.requests.columns.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {props.items.map((r) => {
            const sides = sidesOf(me, r);
            const support = sides.support && props.side !== 'main';
            const main = sides.main && props.side !== 'support';
            const number = r.orderNumber ?? '—';
            const label = (action: string) =>
              t('split.requests.actionOf', { action, number, store: r.storeCode });
            return (
              <tr key={r.id} data-request={r.id} data-store={r.storeCode}>
                {!props.hideOrder && (
                  <td>
                    <Link to={`/orders/${r.orderId}`}>{t('split.requests.order', { number })}</Link>
                  </td>
                )}
                <td>{t('split.requests.store', { code: r.storeCode, name: r.storeName })}</td>
                <td>{t('split.requests.storeCode', { code: r.mainStoreCode })}</td>
                <td className="wrap">
                  {r.lines.map((l) => (
                    <div key={l.line}>{t('split.requests.item', { sku: l.sku, quantity: l.quantity })}</div>
                  ))}
                </td>
                <td className="wrap">
                  <RequestStatusBadge status={r.status} />
                  {r.blockReason && (
                    <div className="hint">{t('split.requests.blocked', { reason: r.blockReason })}</div>
                  )}
                  {r.rejectionReason && (
                    <div className="hint">{t('split.requests.rejected', { reason: r.rejectionReason })}</div>
                  )}
                  {r.receivedAt && (
                    <div className="hint">
                      {t('split.requests.receivedAt', {
                        at: formatDateTime(r.receivedAt),
                        cfop: r.entryCfop ?? '—',
                      })}
                    </div>
                  )}
                </td>
                <td>{formatDateTime(r.createdAt)}</td>
                <td>{formatDate(r.expectedAt)}</td>
                <td>
                  {r.transferDocument && r.transferDocument.status !== 'rejected' ? (
                    <button
                      type="button"
                      className="button small"
                      aria-label={t('split.requests.danfeOf', { number, store: r.storeCode })}
                      onClick={() => r.transferDocument && moves.danfe(r.transferDocument.id)}
                    >
                      {t('split.requests.danfe')}
                    </button>
                  ) : (
                    t('split.requests.noTransfer')
                  )}
                </td>
                <td className="request-actions">
                  <div>
                    {support && r.status === 'requested' && (
                      <button
                        type="button"
                        className="button small primary"
                        aria-label={label(t('split.requests.accept'))}
                        onClick={() => moves.accept(r)}
                      >
                        {t('split.requests.accept')}
                      </button>
                    )}
                    {support && r.status === 'accepted' && (
                      <button
                        type="button"
                        className="button small primary"
                        aria-label={label(t('split.requests.invoice'))}
                        onClick={() => moves.invoice(r)}
                      >
                        {t('split.requests.invoice')}
                      </button>
                    )}
                    {support && (r.status === 'requested' || r.status === 'accepted') && (
                      <button
                        type="button"
                        className="button small danger-outline"
                        aria-label={label(t('split.requests.reject'))}
                        onClick={() => moves.reject(r)}
                      >
                        {t('split.requests.reject')}
                      </button>
                    )}
                    {support && hasContentDeclaration(r) && <ContentDeclarationButton request={r} />}
                    {main && r.status === 'in_transit' && (
                      <button
                        type="button"
                        className="button small primary"
                        aria-label={label(t('split.requests.receive'))}
                        onClick={() => moves.receive(r)}
                      >
                        {t('split.requests.receive')}
                      </button>
                    )}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
