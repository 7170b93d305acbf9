import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useParams } from 'react-router';
import type { NetworkNode, Page, ParameterDefinition } from '../api/types.ts';
import { api, query } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { describeErrorIn } from '../components/error-text.ts';
import { Notice } from '../components/notice.tsx';
import { useLoad } from '../components/use-load.ts';
import { FiscalPanel } from '../network/fiscal-panel.tsx';
import { NodeCard } from '../network/node-card.tsx';
import { NodeTree } from '../network/node-tree.tsx';
import { ParametersPanel } from '../network/parameters-panel.tsx';

/** Every node the user sees, page after page (a network has hundreds of stores at most). */
export async function allNodes(signal?: AbortSignal): Promise<NetworkNode[]> {
  const nodes: NetworkNode[] = [];
  let cursor: string | undefined;
  do {
    const page = await api<Page<NetworkNode>>(
      'GET',
      `/api/v1/nodes${query({ limit: 200, cursor })}`,
      undefined,
      signal,
    );
    nodes.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return nodes;
}

export function NetworkPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const { code } = useParams();
  const { data, error } = useLoad(
    (signal) =>
      Promise.all([
        allNodes(signal),
        api<{ items: ParameterDefinition[] }>('GET', '/api/v1/parameters', undefined, signal),
      ]),
    [],
  );
  const nodes = data?.[0] ?? null;
  const definitions = data?.[1].items ?? null;

  const byCode = useMemo(() => new Map((nodes ?? []).map((n) => [n.code, n])), [nodes]);

  if (!me) return null;
  if (!code) return <Navigate to={`/network/${encodeURIComponent(me.nodeCode)}`} replace />;
  const selected = byCode.get(code);

  return (
    <div className="network-page">
      {error ? <Notice kind="error">{describeErrorIn(t, error, 'network')}</Notice> : null}
      {!nodes && !error && <p className="loading">{t('actions.loading')}</p>}
      {nodes && (
        <div className="two-columns">
          <NodeTree nodes={nodes} />
          <div className="node-detail">
            {selected ? (
              <>
                <NodeCard node={selected} />
                {selected.kind === 'store' && <FiscalPanel node={selected} nodes={byCode} />}
                {definitions && <ParametersPanel node={selected} nodes={byCode} definitions={definitions} />}
              </>
            ) : (
              <section className="empty-state">
                <h1>{t('network.title')}</h1>
                <p>{t('network.node.notFound')}</p>
              </section>
            )}
          </div>
        </div>
      )}
    </div>
  );
}
