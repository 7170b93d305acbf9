import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PairingCode } from '../api/types.ts';

const remaining = (expiresAt: string, now: number) =>
  Math.max(0, Math.ceil((Date.parse(expiresAt) - now) / 1000));
const mmss = (seconds: number) =>
  `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;

/** A POS client's pairing code, large enough to read across a counter, with a live countdown to its end. */
export function PairingDialog(props: {
  shown: { name: string; pairing: PairingCode } | null;
  busy: boolean;
  onAgain(): void;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.shown && !dialog.open) dialog.showModal();
    else if (!props.shown && dialog.open) dialog.close();
  }, [props.shown]);

  useEffect(() => {
    if (!props.shown) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [props.shown]);

  const left = props.shown ? remaining(props.shown.pairing.expiresAt, now) : 0;
  return (
    <dialog
      ref={ref}
      className="dialog pairing"
      aria-labelledby="pairing-title"
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
    >
      {props.shown && (
        <>
          <h2 id="pairing-title">{t('apiClients.pairing.title', { name: props.shown.name })}</h2>
          <p>{t('apiClients.pairing.intro', { url: `${window.location.origin}/pos/pair` })}</p>
          <p className={left > 0 ? 'pairing-code' : 'pairing-code expired'} aria-live="polite">
            {props.shown.pairing.code}
          </p>
          {left > 0 ? (
            <p className="pairing-countdown" role="timer">
              {t('apiClients.pairing.expiresIn', { time: mmss(left) })}
            </p>
          ) : (
            <p className="notice error" role="alert">
              {t('apiClients.pairing.expired')}
            </p>
          )}
          <p className="hint">{t('apiClients.pairing.singleUse')}</p>
          <div className="dialog-actions">
            <button type="button" className="button" onClick={props.onAgain} disabled={props.busy}>
              {t('apiClients.pairing.again')}
            </button>
            <button type="button" className="button primary" onClick={props.onClose}>
              {t('actions.close')}
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}
