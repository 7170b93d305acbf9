import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** A text the dialog asks for (a cancellation's reason, an NF-e's justification), with its limits. */
export interface ReasonField {
  label: string;
  required: boolean;
  /** With a minimum, the confirm button waits for it and a counter shows how far the text is. */
  minLength?: number;
  maxLength?: number;
}

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
  reason?: ReasonField;
  busy?: boolean;
  error?: string | null;
  onConfirm(reason: string): void;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  // Several dialogs may sit on one page: each names itself by its own title.
  const titleId = useId();
  const [reason, setReason] = useState('');

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) {
      setReason('');
      dialog.showModal();
    } else if (!props.open && dialog.open) dialog.close();
  }, [props.open]);

  const typed = reason.trim().length;
  const min = props.reason?.minLength;
  const max = props.reason?.maxLength ?? 500;
  const blocked =
    props.busy ||
    (props.reason?.required === true && typed === 0) ||
    (min !== undefined && typed < min) ||
    typed > max;
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
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
        <h2 id={titleId}>{props.title}</h2>
        <div className="dialog-message">{props.message}</div>
        {props.reason && (
          <label className="field">
            <span>{props.reason.label}</span>
            <textarea
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              required={props.reason.required}
              minLength={min}
              maxLength={max}
              rows={3}
              aria-describedby={props.reason.maxLength ? 'confirm-counter' : undefined}
            />
            {props.reason.maxLength !== undefined && (
              <span id="confirm-counter" className={min !== undefined && typed < min ? 'hint' : 'hint ok'}>
                {min !== undefined
                  ? t('dialog.counterMin', { count: typed, max, min })
                  : t('dialog.counter', { count: typed, max })}
              </span>
            )}
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
