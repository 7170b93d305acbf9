import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { TraceNode } from '../api/types.ts';
import { api } from '../api.ts';
import { describeErrorIn } from '../components/error-text.ts';
import { useLoad } from '../components/use-load.ts';
import { formatDate } from '../format.ts';
import '../split/split.css';

const idsWithChildren = (node: TraceNode): string[] =>
  node.children.length ? [node.id, ...node.children.flatMap(idsWithChildren)] : [];

/**
 * The order's traceability (seeds: TRAFC038 "Acompanhamento de Pedidos"): the order, the stock requests of
 * its split, their transfer NF-es and the sale NF-e, as a tree to expand, each with its stage, dates, colour
 * alert (none once done), days in progress and quantities.
 */
export function TracePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const { data: root, error } = useLoad(
    async (signal) =>
      (await api<{ root: TraceNode }>('GET', `/api/v1/orders/${id}/trace`, undefined, signal)).root,
    [id],
  );

  const rows = useMemo(() => {
    const out: { node: TraceNode; depth: number; path: string }[] = [];
    const walk = (node: TraceNode, depth: number, path: string) => {
      out.push({ node, depth, path });
      if (!collapsed.has(node.id))
        node.children.forEach((c, i) => {
          walk(c, depth + 1, `${path}.${i}`);
        });
    };
    if (root) walk(root, 0, '0');
    return out;
  }, [root, collapsed]);

  const back = (
    <p className="back-link">
      <Link to={`/orders/${id}`}>
        <span aria-hidden="true">← </span>
        {t('split.trace.back')}
      </Link>
    </p>
  );
  if (error)
    return (
      <section className="empty-state" aria-labelledby="trace-title">
        <h1 id="trace-title">{t('split.trace.link')}</h1>
        <p role="alert">{describeErrorIn(t, error, 'split')}</p>
        {back}
      </section>
    );
  if (!root) return <p className="loading">{t('split.trace.loading')}</p>;

  const toggle = (nodeId: string) =>
    setCollapsed((c) => {
      const next = new Set(c);
      if (next.has(nodeId)) next.delete(nodeId);
      else next.add(nodeId);
      return next;
    });
  const date = (iso: string | null) => (iso ? formatDate(iso) : t('split.trace.none'));

  return (
    <article className="trace-page" aria-labelledby="trace-title">
      {back}
      <header className="page-header">
        <h1 id="trace-title">{t('split.trace.title', { label: root.label })}</h1>
        <p className="hint">{t('split.trace.intro')}</p>
      </header>
      <div className="toolbar">
        <button type="button" className="button small" onClick={() => setCollapsed(new Set())}>
          {t('split.trace.expandAll')}
        </button>
        <button
          type="button"
          className="button small"
          onClick={() => setCollapsed(new Set(idsWithChildren(root)))}
        >
          {t('split.trace.collapseAll')}
        </button>
      </div>
      <div className="table-wrap">
        <table className="trace-table" aria-labelledby="trace-title">
          <thead>
            <tr>
              <th scope="col">{t('split.trace.columns.document')}</th>
              <th scope="col">{t('split.trace.columns.store')}</th>
              <th scope="col">{t('split.trace.columns.stage')}</th>
              <th scope="col">{t('split.trace.columns.createdAt')}</th>
              <th scope="col">{t('split.trace.columns.expectedAt')}</th>
              <th scope="col">{t('split.trace.columns.alert')}</th>
              <th scope="col" className="num">
                {t('split.trace.columns.days')}
              </th>
              <th scope="col">{t('split.trace.columns.invoicedAt')}</th>
              <th scope="col" className="num">
                {t('split.trace.columns.requested')}
              </th>
              <th scope="col" className="num">
                {t('split.trace.columns.invoiced')}
              </th>
              <th scope="col" className="num">
                {t('split.trace.columns.pending')}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ node, depth, path }) => {
              const open = !collapsed.has(node.id);
              const alert = node.done ? null : node.alert;
              return (
                <tr key={path} data-kind={node.kind}>
                  <td className="document" style={{ paddingLeft: `${0.6 + depth * 1.5}rem` }}>
                    {node.children.length > 0 ? (
                      <button
                        type="button"
                        className="button small trace-toggle"
                        aria-expanded={open}
                        aria-label={t(open ? 'split.trace.collapse' : 'split.trace.expand', {
                          label: node.label,
                        })}
                        onClick={() => toggle(node.id)}
                      >
                        <span aria-hidden="true">{open ? '−' : '+'}</span>
                      </button>
                    ) : (
                      <span className="trace-spacer" />
                    )}
                    <span className="trace-name">
                      <strong>{node.label}</strong>
                      <span className="trace-kind">{t(`split.trace.kinds.${node.kind}`)}</span>
                    </span>
                  </td>
                  <td>{node.storeCode}</td>
                  <td>{node.stageLabel}</td>
                  <td>{date(node.createdAt)}</td>
                  <td>{date(node.expectedAt)}</td>
                  <td>
                    <span
                      className={`alert-dot alert-${alert ?? 'none'}`}
                      title={t(`split.trace.alerts.${alert ?? 'none'}`)}
                    />
                    <span className="visually-hidden">{t(`split.trace.alerts.${alert ?? 'none'}`)}</span>
                  </td>
                  <td className="num">{node.done ? t('split.trace.none') : node.daysInProgress}</td>
                  <td>{date(node.invoicedAt)}</td>
                  <td className="num">{node.quantities.requested}</td>
                  <td className="num">{node.quantities.invoiced}</td>
                  <td className="num">{node.quantities.pending}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <ul className="trace-legend" aria-label={t('split.trace.legend')}>
        {(['green', 'yellow', 'red', 'none'] as const).map((a) => (
          <li key={a}>
            <span className={`alert-dot alert-${a}`} aria-hidden="true" />
            {t(`split.trace.alerts.${a}`)}
          </li>
        ))}
      </ul>
    </article>
  );
}
