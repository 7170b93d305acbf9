import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useParams } from 'react-router';
import type { ParameterDefinition } from '../api/types.ts';
import { api } from '../api.ts';
import { isAdmin, useAuth } from '../auth.tsx';
import { describeErrorIn } from '../components/error-text.ts';
import { Notice } from '../components/notice.tsx';
import { useLoad } from '../components/use-load.ts';
import { allNodes } from '../network/all-nodes.ts';
import { FiscalPanel } from '../network/fiscal-panel.tsx';
import { NodeActions } from '../network/node-actions.tsx';
import { NodeCard } from '../network/node-card.tsx';
import { NodeForm, type NodeFormMode } from '../network/node-form.tsx';
import { NodeTree } from '../network/node-tree.tsx';
import { ParametersPanel } from '../network/parameters-panel.tsx';
import { lineageOf } from '../network/tree.ts';
import { WhatsAppPanel } from '../network/whatsapp-panel.tsx';

/** Other admins' changes reach this tree by polling: every minute, and when the window gets the focus back. */
const REFRESH_MS = 60_000;

export function NetworkPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const { code } = useParams();
  const navigate = useNavigate();
  const tree = useLoad((signal) => allNodes(signal), []);
  const params = useLoad(
    (signal) => api<{ items: ParameterDefinition[] }>('GET', '/api/v1/parameters', undefined, signal),
    [],
  );
  const nodes = tree.data;
  const definitions = params.data?.items ?? null;
  const error = tree.error ?? params.error;
  const [form, setForm] = useState<{ code: string; mode: 'edit' | 'central' | 'store' } | null>(null);
  const [feedback, setFeedback] = useState<{ kind: 'success' | 'error' | 'info'; text: string } | null>(null);

  const byCode = useMemo(() => new Map((nodes ?? []).map((n) => [n.code, n])), [nodes]);
  const reload = tree.reload;

  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS);
    window.addEventListener('focus', reload);
    return () => {
      clearInterval(timer);
      window.removeEventListener('focus', reload);
    };
  }, [reload]);

  if (!me) return null;
  if (!code) return <Navigate to={`/network/${encodeURIComponent(me.nodeCode)}`} replace />;
  const selected = byCode.get(code);
  // Admins manage their own node and everything below it; what they see above it is read-only.
  const manages = !!selected && isAdmin(me) && lineageOf(selected.code, byCode).includes(me.nodeCode);
  const openForm = form && selected && form.code === selected.code ? form : null;
  const formMode: NodeFormMode | null =
    openForm && selected
      ? openForm.mode === 'edit'
        ? { kind: 'edit', node: selected }
        : { kind: 'create', parent: selected, childKind: openForm.mode }
      : null;
  const stale = () => {
    setFeedback({ kind: 'error', text: t('network.manage.stale') });
    reload();
  };

  return (
    <div className="network-page">
      {error ? <Notice kind="error">{describeErrorIn(t, error, 'network')}</Notice> : null}
      {!nodes && !error && <p className="loading">{t('actions.loading')}</p>}
      {nodes && (
        <div className="two-columns">
          <NodeTree nodes={nodes} />
          <div className="node-detail">
            {feedback && <Notice kind={feedback.kind}>{feedback.text}</Notice>}
            {selected ? (
              formMode ? (
                <NodeForm
                  key={`${selected.code}-${openForm?.mode}-${selected.version}`}
                  mode={formMode}
                  stores={nodes.filter((n) => n.kind === 'store')}
                  onCancel={() => setForm(null)}
                  onStale={stale}
                  onSaved={(saved, created) => {
                    setForm(null);
                    setFeedback({
                      kind: 'success',
                      text: t(created ? 'network.manage.created' : 'network.manage.saved', {
                        code: saved.code,
                      }),
                    });
                    reload();
                    if (created) navigate(`/network/${encodeURIComponent(saved.code)}`);
                  }}
                />
              ) : (
                <>
                  <NodeCard node={selected} />
                  {manages && (
                    <NodeActions
                      key={selected.code}
                      node={selected}
                      isOwnNode={selected.code === me.nodeCode}
                      onCreate={(kind) => {
                        setFeedback(null);
                        setForm({ code: selected.code, mode: kind });
                      }}
                      onEdit={() => {
                        setFeedback(null);
                        setForm({ code: selected.code, mode: 'edit' });
                      }}
                      onStale={stale}
                      onChanged={(_saved, message) => {
                        setFeedback({ kind: 'success', text: message });
                        reload();
                      }}
                    />
                  )}
                  {selected.kind === 'store' && <FiscalPanel node={selected} nodes={byCode} />}
                  {selected.kind === 'network' && isAdmin(me) && (
                    <WhatsAppPanel node={selected} manages={manages} />
                  )}
                  {definitions && (
                    <ParametersPanel node={selected} nodes={byCode} definitions={definitions} />
                  )}
                </>
              )
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
