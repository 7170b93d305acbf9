import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The temporary password of a new or reset user, shown once: a copy button, a warning that it will not
 * be shown again, and a close button that says the admin has noted it.
 */
export function TemporaryPasswordDialog(props: {
  shown: { name: string; email: string; password: string } | null;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const ids = useId();
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.shown && !dialog.open) {
      setCopied(false);
      dialog.showModal();
    } else if (!props.shown && dialog.open) dialog.close();
  }, [props.shown]);

  return (
    <dialog
      ref={ref}
      className="dialog temporary-password"
      aria-labelledby={`${ids}-title`}
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
    >
      {props.shown && (
        <div>
          <h2 id={`${ids}-title`}>{t('access.users.temporary.title', { name: props.shown.name })}</h2>
          <p>{t('access.users.temporary.intro', { email: props.shown.email })}</p>
          <p className="notice info" role="note">
            {t('access.users.temporary.warning')}
          </p>
          <div className="field">
            <label htmlFor={`${ids}-password`}>
              <span>{t('access.users.temporary.label')}</span>
            </label>
            <div className="secret-row">
              <input
                id={`${ids}-password`}
                className="mono temporary-value"
                readOnly
                value={props.shown.password}
                onFocus={(e) => e.target.select()}
              />
              <button
                type="button"
                className="button"
                onClick={() =>
                  void navigator.clipboard
                    ?.writeText(props.shown?.password ?? '')
                    .then(() => setCopied(true))
                    .catch(() => setCopied(false))
                }
              >
                {t('access.users.temporary.copy')}
              </button>
            </div>
            {copied && (
              <span className="hint ok" role="status">
                {t('access.users.temporary.copied')}
              </span>
            )}
          </div>
          <div className="dialog-actions">
            <button type="button" className="button primary" onClick={props.onClose}>
              {t('access.users.temporary.close')}
            </button>
          </div>
        </div>
      )}
    </dialog>
  );
}
