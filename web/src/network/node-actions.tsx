import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { NetworkNode, OpenWork } from '../api/types.ts';
import { ApiError, api } from '../api.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { describeErrorIn } from '../components/error-text.ts';

/** The kinds a node may hold (the server's childKinds). */
export const childKindsOf = (node: NetworkNode): ('central' | 'store')[] =>
  node.kind === 'network' ? ['central', 'store'] : node.kind === 'central' ? ['store'] : [];

/**
 * What an admin does to a node it manages: add a central or a store under it, edit it, deactivate or reactivate
 * it (asked first). A refusal because of unfinished work lists that work as links.
 */
export function NodeActions(props: {
  node: NetworkNode;
  /** The admin's own node: it is deactivated only from above. */
  isOwnNode: boolean;
  onCreate(kind: 'central' | 'store'): void;
  onEdit(): void;
  onChanged(node: NetworkNode, message: string): void;
  onStale(): void;
}) {
  const { t } = useTranslation();
  const { node } = props;
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [blocked, setBlocked] = useState<OpenWork | null>(null);

  const toggle = async () => {
    setBusy(true);
    setError(null);
    try {
      const saved = await api<NetworkNode>('PATCH', `/api/v1/nodes/${encodeURIComponent(node.code)}`, {
        version: node.version,
        active: !node.active,
      });
      setAsking(false);
      setBlocked(null);
      props.onChanged(
        saved,
        t(saved.active ? 'network.manage.reactivated' : 'network.manage.deactivated', { code: saved.code }),
      );
    } catch (err) {
      if (err instanceof ApiError && err.code === 'NETWORK.STALE_VERSION') {
        setAsking(false);
        props.onStale();
      } else if (
        err instanceof ApiError &&
        (err.code === 'NETWORK.NODE_HAS_OPEN_WORK' || err.code === 'NETWORK.NODE_HAS_ACTIVE_STORES')
      ) {
        setAsking(false);
        setBlocked(err.problem as OpenWork);
      } else setError(describeErrorIn(t, err, 'network'));
    } finally {
      setBusy(false);
    }
  };

  const more = (shown: number, total: number | undefined) =>
    total !== undefined && total > shown ? (
      <p className="hint">{t('network.manage.blocked.more', { count: total - shown })}</p>
    ) : null;

  return (
    <section className="node-actions" aria-label={t('network.manage.actions')}>
      <div className="button-row">
        {childKindsOf(node).map((kind) => (
          <button key={kind} type="button" className="button" onClick={() => props.onCreate(kind)}>
            {kind === 'store' ? t('network.manage.newStore') : t('network.manage.newCentral')}
          </button>
        ))}
        <button type="button" className="button" onClick={props.onEdit}>
          {t('network.manage.edit')}
        </button>
        {node.kind !== 'network' && !props.isOwnNode && (
          <button
            type="button"
            className={node.active ? 'button danger' : 'button'}
            onClick={() => {
              setError(null);
              setAsking(true);
            }}
          >
            {node.active ? t('network.manage.deactivate') : t('network.manage.reactivate')}
          </button>
        )}
      </div>
      {blocked && (
        <section className="notice error open-work" role="alert" aria-labelledby="open-work-title">
          <h3 id="open-work-title">{t('network.manage.blocked.title', { code: node.code })}</h3>
          {blocked.orders && blocked.orders.length > 0 && (
            <>
              <p>
                {t('network.manage.blocked.orders', { count: blocked.ordersTotal ?? blocked.orders.length })}
              </p>
              <ul>
                {blocked.orders.map((o) => (
                  <li key={o.id}>
                    <Link to={`/orders/${o.id}`}>
                      {t('network.manage.blocked.order', {
                        number: o.number ?? t('network.manage.blocked.noNumber'),
                        status: t(`statuses.${o.status}`),
                      })}
                    </Link>
                  </li>
                ))}
              </ul>
              {more(blocked.orders.length, blocked.ordersTotal)}
            </>
          )}
          {blocked.stockRequests && blocked.stockRequests.length > 0 && (
            <>
              <p>
                {t('network.manage.blocked.stockRequests', {
                  count: blocked.stockRequestsTotal ?? blocked.stockRequests.length,
                })}
              </p>
              <ul>
                {blocked.stockRequests.map((r) => (
                  <li key={r.id}>
                    <Link to={`/orders/${r.orderId}`}>
                      {t('network.manage.blocked.request', {
                        number: r.orderNumber ?? t('network.manage.blocked.noNumber'),
                        status: t(`split.statuses.${r.status}`),
                      })}
                    </Link>
                  </li>
                ))}
              </ul>
              {more(blocked.stockRequests.length, blocked.stockRequestsTotal)}
            </>
          )}
          {blocked.stores && blocked.stores.length > 0 && (
            <>
              <p>{t('network.manage.blocked.stores', { count: blocked.total ?? blocked.stores.length })}</p>
              <ul>
                {blocked.stores.map((s) => (
                  <li key={s.code}>
                    <Link to={`/network/${encodeURIComponent(s.code)}`}>
                      {s.code} — {s.name}
                    </Link>
                  </li>
                ))}
              </ul>
              {more(blocked.stores.length, blocked.total)}
            </>
          )}
          <p className="hint">{t('network.manage.blocked.hint')}</p>
        </section>
      )}
      <ConfirmDialog
        open={asking}
        title={
          node.active
            ? t('network.manage.deactivateTitle', { name: node.name })
            : t('network.manage.reactivateTitle', { name: node.name })
        }
        message={node.active ? t('network.manage.deactivateMessage') : t('network.manage.reactivateMessage')}
        confirmLabel={node.active ? t('network.manage.deactivate') : t('network.manage.reactivate')}
        danger={node.active}
        busy={busy}
        error={error}
        onConfirm={() => void toggle()}
        onCancel={() => setAsking(false)}
      />
    </section>
  );
}
