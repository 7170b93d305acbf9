import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A modal question before anything that changes data. Built on <dialog>: focus moves into it, Esc
 * answers "no", and the page behind cannot be clicked. `reason` adds a required text field (cancelling).
 */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  message: ReactNode;
  confirmLabel?: string;
  danger?: boolean;
  reason?: { label: string; required: boolean };
  busy?: boolean;
  error?: string | null;
  onConfirm(reason: string): void;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) {
      setReason('');
      dialog.showModal();
    } else if (!props.open && dialog.open) dialog.close();
  }, [props.open]);

  const blocked = props.busy || (props.reason?.required === true && reason.trim() === '');
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby="confirm-title"
      onCancel={(e) => {
        e.preventDefault();
        if (!props.busy) props.onCancel();
      }}
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          if (!blocked) props.onConfirm(reason.trim());
        }}
      >
        <h2 id="confirm-title">{props.title}</h2>
        <div className="dialog-message">{props.message}</div>
        {props.reason && (
          <label className="field">
            <span>{props.reason.label}</span>
            <textarea
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              required={props.reason.required}
              maxLength={500}
              rows={3}
            />
          </label>
        )}
        {props.error && (
          <p className="notice error" role="alert">
            {props.error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={props.onCancel} disabled={props.busy}>
            {t('actions.cancel')}
          </button>
          <button
            type="submit"
            className={props.danger ? 'button danger' : 'button primary'}
            disabled={blocked}
          >
            {props.busy ? t('actions.saving') : (props.confirmLabel ?? t('actions.confirm'))}
          </button>
        </div>
      </form>
    </dialog>
  );
}
