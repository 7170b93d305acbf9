import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import type { NetworkNode } from '../api/types.ts';
import { buildTree, matching, type TreeNode } from './tree.ts';

/**
 * The network as nested lists of links (Tab moves through them, Enter opens a node), each level
 * collapsible, with a filter that keeps the matches' ancestors so a store is shown in its place.
 */
export function NodeTree({ nodes }: { nodes: readonly NetworkNode[] }) {
  const { t } = useTranslation();
  const [filter, setFilter] = useState('');
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const roots = useMemo(() => buildTree(nodes), [nodes]);
  const shown = useMemo(() => matching(nodes, filter), [nodes, filter]);

  const render = (items: TreeNode[]) =>
    items
      .filter((item) => !shown || shown.has(item.node.code))
      .map(({ node, children }) => {
        const open = shown !== null || !collapsed.has(node.code);
        return (
          <li key={node.code}>
            <div className="tree-item">
              {children.length > 0 ? (
                <button
                  type="button"
                  className="tree-toggle"
                  aria-expanded={open}
                  aria-label={t(open ? 'network.tree.collapse' : 'network.tree.expand', { name: node.name })}
                  onClick={() =>
                    setCollapsed((c) => {
                      const next = new Set(c);
                      if (next.has(node.code)) next.delete(node.code);
                      else next.add(node.code);
                      return next;
                    })
                  }
                >
                  <span aria-hidden="true">{open ? '▾' : '▸'}</span>
                </button>
              ) : (
                <span className="tree-spacer" aria-hidden="true" />
              )}
              <NavLink to={`/network/${encodeURIComponent(node.code)}`} className="tree-link">
                <span className={`kind kind-${node.kind}`}>{t(`nodeKinds.${node.kind}`)}</span>
                <strong className="code">{node.code}</strong>
                <span className="tree-name">{node.name}</span>
                {!node.active && <span className="tag muted">{t('network.tree.inactive')}</span>}
              </NavLink>
            </div>
            {children.length > 0 && open && <ul>{render(children)}</ul>}
          </li>
        );
      });

  return (
    <nav className="card tree-card" aria-label={t('network.tree.label')}>
      <h2>{t('network.tree.label')}</h2>
      {nodes.length > 8 && (
        <label className="field">
          <span>{t('network.tree.filter')}</span>
          <input
            type="search"
            value={filter}
            placeholder={t('network.tree.filterPlaceholder')}
            onChange={(e) => setFilter(e.target.value)}
          />
        </label>
      )}
      {nodes.length === 0 ? (
        <p className="hint">{t('network.tree.empty')}</p>
      ) : shown && shown.size === 0 ? (
        <p className="hint">{t('network.tree.noMatch')}</p>
      ) : (
        <ul className="tree">{render(roots)}</ul>
      )}
    </nav>
  );
}
