import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CarrierAccount, CarrierAccountTest, NetworkNode } from '../api/types.ts';
import { api } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { describeErrorIn } from '../components/error-text.ts';
import { Notice } from '../components/notice.tsx';
import { useLoad } from '../components/use-load.ts';
import { CarrierAccountForm } from '../delivery/carrier-account-form.tsx';
import { formatMoney } from '../format.ts';
import '../delivery/delivery.css';

type NodeChoice = Pick<NetworkNode, 'code' | 'name' | 'kind'>;

const faultKeys = {
  unreachable: 'carriers.faults.unreachable',
  timeout: 'carriers.faults.timeout',
  unauthorized: 'carriers.faults.unauthorized',
  http_status: 'carriers.faults.http_status',
  unexpected_body: 'carriers.faults.unexpected_body',
  unreadable_credentials: 'carriers.faults.unreadable_credentials',
} as const;

/**
 * Admins only (app.tsx registers the route for them): the carrier accounts of a node — its own, which it
 * may change, and those it inherits — with "Testar" (a sample quote) and removal after confirmation.
 */
export function CarriersPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const nodes = useLoad(
    async (signal) =>
      (await api<{ items: NodeChoice[] }>('GET', '/api/v1/nodes?limit=200', undefined, signal)).items,
    [],
  );
  const [nodeCode, setNodeCode] = useState<string | null>(null);
  useEffect(() => {
    if (!nodeCode && nodes.data?.length) setNodeCode(me?.nodeCode ?? nodes.data[0]!.code);
  }, [nodes.data, nodeCode, me]);
  const accounts = useLoad(
    async (signal) =>
      nodeCode
        ? (
            await api<{ items: CarrierAccount[] }>(
              'GET',
              `/api/v1/nodes/${encodeURIComponent(nodeCode)}/carrier-accounts`,
              undefined,
              signal,
            )
          ).items
        : null,
    [nodeCode],
  );
  const [editing, setEditing] = useState<CarrierAccount | 'new' | null>(null);
  const [feedback, setFeedback] = useState<{ kind: 'success' | 'error' | 'info'; text: string } | null>(null);
  const [testing, setTesting] = useState<string | null>(null);
  const [removing, setRemoving] = useState<CarrierAccount | null>(null);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const path = (a: CarrierAccount) =>
    `/api/v1/nodes/${encodeURIComponent(a.nodeCode)}/carrier-accounts/${encodeURIComponent(a.carrierCode)}`;

  const test = async (a: CarrierAccount) => {
    setTesting(a.carrierCode);
    setFeedback(null);
    try {
      const r = await api<CarrierAccountTest>('POST', `${path(a)}/test`, {});
      if (r.outcome === 'quoted')
        setFeedback({
          kind: 'success',
          text: `${t('carriers.testQuoted')} ${(r.quotes ?? [])
            .map((q) =>
              t('carriers.testQuote', { service: q.serviceName, price: formatMoney(q.price), days: q.days }),
            )
            .join('; ')}.`,
        });
      else if (r.outcome === 'refused')
        setFeedback({ kind: 'error', text: t('carriers.testRefused', { message: r.message }) });
      else
        setFeedback({
          kind: 'error',
          text: t('carriers.testFault', {
            reason:
              r.kind && r.kind in faultKeys
                ? t(faultKeys[r.kind as keyof typeof faultKeys], { status: r.httpStatus ?? '' })
                : r.message,
          }),
        });
    } catch (err) {
      setFeedback({ kind: 'error', text: describeErrorIn(t, err, 'carriers') });
    } finally {
      setTesting(null);
    }
  };

  const remove = async () => {
    if (!removing) return;
    setBusy(true);
    setRemoveError(null);
    try {
      await api('DELETE', path(removing));
      setFeedback({ kind: 'success', text: t('carriers.removed', { carrier: removing.carrierCode }) });
      setRemoving(null);
      accounts.reload();
    } catch (err) {
      setRemoveError(describeErrorIn(t, err, 'carriers'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="carriers-page" aria-labelledby="carriers-title">
      <header className="page-header section-head">
        <div>
          <h1 id="carriers-title">{t('carriers.title')}</h1>
          <p className="hint">{t('carriers.intro')}</p>
        </div>
        {editing === null && nodeCode && (
          <button
            type="button"
            className="button primary"
            onClick={() => {
              setFeedback(null);
              setEditing('new');
            }}
          >
            {t('carriers.newAccount')}
          </button>
        )}
      </header>
      {nodes.data && (
        <div className="field inline">
          <label htmlFor="carriers-node">
            <span>{t('carriers.node')}</span>
          </label>
          <select
            id="carriers-node"
            value={nodeCode ?? ''}
            onChange={(e) => {
              setEditing(null);
              setFeedback(null);
              setNodeCode(e.target.value);
            }}
          >
            {nodes.data.map((n) => (
              <option key={n.code} value={n.code}>
                {n.code} — {n.name}
              </option>
            ))}
          </select>
        </div>
      )}
      {feedback && <Notice kind={feedback.kind}>{feedback.text}</Notice>}
      {editing !== null && nodeCode && (
        <CarrierAccountForm
          key={editing === 'new' ? 'new' : editing.carrierCode}
          nodeCode={nodeCode}
          account={editing === 'new' ? undefined : editing}
          onSaved={(saved) => {
            setEditing(null);
            setFeedback({ kind: 'success', text: t('carriers.saved', { carrier: saved.carrierCode }) });
            accounts.reload();
          }}
          onCancel={() => setEditing(null)}
        />
      )}
      {(nodes.error || accounts.error) !== null && (
        <Notice kind="error">{describeErrorIn(t, nodes.error ?? accounts.error, 'carriers')}</Notice>
      )}
      {!accounts.data && !accounts.error && <p className="loading">{t('actions.loading')}</p>}
      {accounts.data?.length === 0 && (
        <section className="empty-state" aria-live="polite">
          <p>{t('carriers.empty')}</p>
        </section>
      )}
      {accounts.data && accounts.data.length > 0 && (
        <div className="table-wrap">
          <table className="carrier-accounts-table" aria-busy={accounts.loading || undefined}>
            <thead>
              <tr>
                <th scope="col">{t('carriers.carrierCode')}</th>
                <th scope="col">{t('carriers.adapter')}</th>
                <th scope="col">{t('carriers.heldBy')}</th>
                <th scope="col">{t('carriers.status')}</th>
                <th scope="col">{t('carriers.credentials')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('carriers.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {accounts.data.map((a) => (
                <tr
                  key={`${a.nodeCode}-${a.carrierCode}`}
                  data-carrier={a.carrierCode}
                  data-node={a.nodeCode}
                  className={a.effective ? undefined : 'inactive'}
                >
                  <td className="code">{a.carrierCode}</td>
                  <td>{t(`carriers.adapters.${a.adapter}`)}</td>
                  <td>
                    {a.inherited ? t('carriers.inheritedFrom', { node: a.nodeCode }) : t('carriers.own')}
                  </td>
                  <td>
                    <span className={a.active ? 'tag' : 'tag muted'}>
                      {a.active ? t('carriers.active') : t('carriers.inactive')}
                    </span>{' '}
                    <span className="hint">{a.effective ? t('carriers.inUse') : t('carriers.notInUse')}</span>
                  </td>
                  <td>{t('carriers.credentialsStored')}</td>
                  <td className="row-actions">
                    {!a.inherited && (
                      <>
                        <button
                          type="button"
                          className="button"
                          onClick={() => {
                            setFeedback(null);
                            setEditing(a);
                          }}
                          aria-label={`${t('carriers.edit')} ${a.carrierCode}`}
                        >
                          {t('carriers.edit')}
                        </button>
                        <button
                          type="button"
                          className="button"
                          disabled={testing !== null}
                          onClick={() => void test(a)}
                          aria-label={`${t('carriers.test')} ${a.carrierCode}`}
                        >
                          {testing === a.carrierCode ? t('carriers.testing') : t('carriers.test')}
                        </button>
                        <button
                          type="button"
                          className="button danger"
                          onClick={() => {
                            setRemoveError(null);
                            setRemoving(a);
                          }}
                          aria-label={`${t('carriers.remove')} ${a.carrierCode}`}
                        >
                          {t('carriers.remove')}
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog
        open={removing !== null}
        title={t('carriers.removeTitle', {
          carrier: removing?.carrierCode ?? '',
          node: removing?.nodeCode ?? '',
        })}
        message={t('carriers.removeMessage')}
        confirmLabel={t('carriers.remove')}
        danger
        busy={busy}
        error={removeError}
        onConfirm={() => void remove()}
        onCancel={() => setRemoving(null)}
      />
    </section>
  );
}
