import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SvcMode } from '../api/types.ts';
import { api } from '../api.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { describeErrorIn } from '../components/error-text.ts';
import { formatDateTime } from '../format.ts';

type Asking = { mode: SvcMode; action: 'enter' | 'leave' } | null;

/**
 * The NF-e contingency in SVC of each store: normal, alarm ("SEFAZ fora do ar: confirmar contingência
 * SVC?") or active, with the confirm / leave actions behind a confirmation dialog asking why.
 */
export function ContingencyModes(props: {
  modes: SvcMode[];
  mayDecide: boolean;
  onChanged(mode: SvcMode, text: string): void;
}) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState<Asking>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = async (text: string) => {
    if (!asking) return;
    setBusy(true);
    setError(null);
    const store = asking.mode.storeCode;
    try {
      const mode =
        asking.action === 'enter'
          ? await api<SvcMode>('POST', '/api/v1/fiscal/contingency/svc', {
              storeCode: store,
              justification: text,
            })
          : await api<SvcMode>(
              'DELETE',
              `/api/v1/fiscal/contingency/svc?storeCode=${encodeURIComponent(store)}&reason=${encodeURIComponent(text)}`,
            );
      setAsking(null);
      props.onChanged(
        mode,
        t(asking.action === 'enter' ? 'fiscal.panel.entered' : 'fiscal.panel.left', { store }),
      );
    } catch (err) {
      setError(describeErrorIn(t, err, 'fiscal'));
    } finally {
      setBusy(false);
    }
  };

  const who = (id: string | null) => (id === 'system' ? t('fiscal.panel.system') : (id ?? '—'));
  const stateText = (m: SvcMode) =>
    t(`fiscal.panel.states.${m.state}`, { authoriser: m.authoriser, type: m.emissionType });

  return (
    <section aria-labelledby="svc-modes-title" data-testid="svc-modes">
      <h2 id="svc-modes-title">{t('fiscal.panel.modes')}</h2>
      <div className="table-wrap">
        <table className="contingency-modes">
          <thead>
            <tr>
              <th scope="col">{t('fiscal.panel.store')}</th>
              <th scope="col">{t('fiscal.panel.state')}</th>
              <th scope="col">{t('fiscal.panel.since')}</th>
              <th scope="col">{t('fiscal.panel.by')}</th>
              <th scope="col">{t('fiscal.panel.why')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('fiscal.panel.state')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.modes.map((m) => (
              <tr key={m.storeCode} data-store={m.storeCode} className={`svc-${m.state}`}>
                <td className="wrap">
                  {m.storeCode} · {m.storeName}
                </td>
                <td>
                  <span
                    className={m.state === 'off' ? 'tag muted' : m.state === 'alarm' ? 'tag warning' : 'tag'}
                  >
                    {stateText(m)}
                  </span>
                  {m.state === 'alarm' && m.raisedAt && (
                    <p className="hint">
                      {t('fiscal.panel.raised', { at: formatDateTime(m.raisedAt), how: m.raisedBy })}
                    </p>
                  )}
                  {m.state === 'off' && m.endedAt && (
                    <p className="hint">
                      {t('fiscal.panel.ended', { at: formatDateTime(m.endedAt), reason: m.endReason ?? '' })}
                    </p>
                  )}
                </td>
                <td>{m.state === 'active' && m.since ? formatDateTime(m.since) : '—'}</td>
                <td>
                  {m.state === 'active'
                    ? who(m.confirmedBy === 'system' ? 'system' : m.confirmedByName)
                    : '—'}
                </td>
                <td className="wrap">{m.state === 'active' ? m.justification : '—'}</td>
                <td className="row-actions">
                  {props.mayDecide && m.state !== 'active' && (
                    <button
                      type="button"
                      className={m.state === 'alarm' ? 'button primary' : 'button'}
                      onClick={() => {
                        setError(null);
                        setAsking({ mode: m, action: 'enter' });
                      }}
                    >
                      {m.state === 'alarm' ? t('fiscal.panel.confirm') : t('fiscal.panel.enter')}
                    </button>
                  )}
                  {props.mayDecide && m.state !== 'off' && (
                    <button
                      type="button"
                      className="button"
                      onClick={() => {
                        setError(null);
                        setAsking({ mode: m, action: 'leave' });
                      }}
                    >
                      {m.state === 'alarm' ? t('fiscal.panel.dismiss') : t('fiscal.panel.leave')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ConfirmDialog
        open={asking !== null}
        title={
          asking
            ? t(asking.action === 'enter' ? 'fiscal.panel.enterTitle' : 'fiscal.panel.leaveTitle', {
                store: asking.mode.storeCode,
              })
            : ''
        }
        message={
          asking
            ? t(asking.action === 'enter' ? 'fiscal.panel.enterMessage' : 'fiscal.panel.leaveMessage', {
                authoriser: asking.mode.authoriser,
                type: asking.mode.emissionType,
              })
            : ''
        }
        confirmLabel={asking?.action === 'leave' ? t('fiscal.panel.leave') : t('fiscal.panel.enter')}
        reason={
          asking?.action === 'enter'
            ? { label: t('fiscal.panel.justification'), required: true, minLength: 15, maxLength: 256 }
            : { label: t('fiscal.panel.reason'), required: true, minLength: 5, maxLength: 500 }
        }
        busy={busy}
        error={error}
        onConfirm={(text) => void run(text)}
        onCancel={() => setAsking(null)}
      />
    </section>
  );
}
