import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiClient, ApiKey, PairingCode, RotatedApiKey } from '../api/types.ts';
import { api } from '../api.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { describeErrorIn } from '../components/error-text.ts';
import { Notice } from '../components/notice.tsx';
import { formatDateTime, formatRelative } from '../format.ts';
import { PairingDialog } from './pairing-dialog.tsx';

const OVERLAPS = [0, 1, 24, 168] as const;
type Overlap = (typeof OVERLAPS)[number];

/** A store as admins know it: its name, with its code in front when the name does not carry it. */
export function storeLabel(t: TFunction, code: string, name: string): string {
  return name.includes(code) ? name : t('apiClients.list.storeLabel', { code, name });
}

export function lastUse(t: TFunction, at: string | null): string {
  return at ? formatRelative(at) : t('apiClients.list.neverUsed');
}

function keyState(t: TFunction, k: ApiKey, now = Date.now()): string {
  if (k.revokedAt) return t('apiClients.detail.revoked');
  if (k.expiresAt && Date.parse(k.expiresAt) <= now) return t('apiClients.detail.expired');
  if (k.expiresAt) return t('apiClients.detail.expiring');
  return t('apiClients.detail.live');
}

type Asking = { kind: 'rotate' } | { kind: 'revokeKey'; key: ApiKey } | { kind: 'revokeClient' } | null;

/** One client's keys and what an admin does with them: rotate, revoke, pair a POS. */
export function ClientPanel(props: {
  client: ApiClient;
  onChanged(): void;
  onKey(shown: { name: string; key: string }): void;
}) {
  const { t } = useTranslation();
  const { client } = props;
  const [asking, setAsking] = useState<Asking>(null);
  const [overlap, setOverlap] = useState<Overlap>(24);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [pairing, setPairing] = useState<PairingCode | null>(null);
  const base = `/api/v1/api-clients/${client.id}`;

  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      await work();
      setAsking(null);
    } catch (e) {
      setError(describeErrorIn(t, e, 'apiClients'));
    } finally {
      setBusy(false);
    }
  };

  const confirm = () =>
    act(async () => {
      if (asking?.kind === 'rotate') {
        const rotated = await api<RotatedApiKey>('POST', `${base}/keys`, { overlapHours: overlap });
        props.onKey({ name: client.name, key: rotated.key });
      } else if (asking?.kind === 'revokeKey') {
        await api('DELETE', `${base}/keys/${asking.key.id}`);
        setDone(t('apiClients.revokeKey.done', { prefix: asking.key.prefix }));
      } else if (asking?.kind === 'revokeClient') {
        await api('DELETE', base);
        setDone(t('apiClients.revokeClient.done', { name: client.name }));
      }
      props.onChanged();
    });

  const newCode = () =>
    act(async () => {
      setPairing(await api<PairingCode>('POST', `${base}/pairing-codes`, {}));
    });

  const dialog = (() => {
    if (asking?.kind === 'rotate') {
      return {
        title: t('apiClients.rotate.title', { name: client.name }),
        message: (
          <>
            <p>{t('apiClients.rotate.message')}</p>
            <label className="field">
              <span>{t('apiClients.rotate.overlap')}</span>
              <select value={overlap} onChange={(e) => setOverlap(Number(e.target.value) as Overlap)}>
                {OVERLAPS.map((h) => (
                  <option key={h} value={h}>
                    {t(`apiClients.rotate.overlaps.h${h}`)}
                  </option>
                ))}
              </select>
            </label>
          </>
        ),
        confirmLabel: t('apiClients.rotate.confirm'),
        danger: false,
      };
    }
    if (asking?.kind === 'revokeKey') {
      return {
        title: t('apiClients.revokeKey.title', { prefix: asking.key.prefix }),
        message: t('apiClients.revokeKey.message', { name: client.name }),
        confirmLabel: t('apiClients.revokeKey.confirm'),
        danger: true,
      };
    }
    return {
      title: t('apiClients.revokeClient.title', { name: client.name }),
      message: t('apiClients.revokeClient.message'),
      confirmLabel: t('apiClients.revokeClient.confirm'),
      danger: true,
    };
  })();

  return (
    <section className="card client-panel" aria-labelledby={`client-${client.id}-title`}>
      <div className="section-head">
        <h2 id={`client-${client.id}-title`}>{t('apiClients.detail.title', { name: client.name })}</h2>
        {client.active && (
          <div className="toolbar">
            <button type="button" className="button" onClick={() => setAsking({ kind: 'rotate' })}>
              {t('apiClients.detail.rotate')}
            </button>
            {client.scope === 'pos' && (
              <button type="button" className="button" onClick={() => void newCode()} disabled={busy}>
                {t('apiClients.detail.pairing')}
              </button>
            )}
            <button
              type="button"
              className="button danger-outline"
              onClick={() => setAsking({ kind: 'revokeClient' })}
            >
              {t('apiClients.detail.revokeClient')}
            </button>
          </div>
        )}
      </div>
      {!client.active && client.revokedAt && (
        <Notice kind="info">
          {t('apiClients.detail.clientRevoked', { at: formatDateTime(client.revokedAt) })}
        </Notice>
      )}
      {done && <Notice kind="success">{done}</Notice>}
      {error && !asking && <Notice kind="error">{error}</Notice>}
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">{t('apiClients.detail.keys')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('apiClients.detail.prefix')}</th>
              <th scope="col">{t('apiClients.detail.status')}</th>
              <th scope="col">{t('apiClients.detail.created')}</th>
              <th scope="col">{t('apiClients.detail.expires')}</th>
              <th scope="col">{t('apiClients.detail.lastUse')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('apiClients.list.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {client.keys.map((k) => {
              const live = !k.revokedAt && (!k.expiresAt || Date.parse(k.expiresAt) > Date.now());
              return (
                <tr key={k.id}>
                  <td className="mono">{k.prefix}…</td>
                  <td>{keyState(t, k)}</td>
                  <td>{formatDateTime(k.createdAt)}</td>
                  <td>{k.expiresAt ? formatDateTime(k.expiresAt) : t('apiClients.detail.noEnd')}</td>
                  <td title={k.lastUsedAt ? formatDateTime(k.lastUsedAt) : undefined}>
                    {lastUse(t, k.lastUsedAt)}
                  </td>
                  <td>
                    {client.active && live && (
                      <button
                        type="button"
                        className="button small danger-outline"
                        aria-label={t('apiClients.detail.revokeKeyLabel', { prefix: k.prefix })}
                        onClick={() => setAsking({ kind: 'revokeKey', key: k })}
                      >
                        {t('apiClients.detail.revokeKey')}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <ConfirmDialog
        open={asking !== null}
        title={dialog.title}
        message={dialog.message}
        confirmLabel={dialog.confirmLabel}
        danger={dialog.danger}
        busy={busy}
        error={asking ? error : null}
        onConfirm={() => void confirm()}
        onCancel={() => {
          setAsking(null);
          setError(null);
        }}
      />
      <PairingDialog
        shown={pairing ? { name: client.name, pairing } : null}
        busy={busy}
        onAgain={() => void newCode()}
        onClose={() => setPairing(null)}
      />
    </section>
  );
}
