import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The one time a key is seen: the server keeps only its hash. "Copiar" uses the clipboard; where the
 * browser refuses it (plain http, no permission) the text is selected for Ctrl+C instead.
 */
export function KeyOnceDialog({
  shown,
  onClose,
}: {
  shown: { name: string; key: string } | null;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const [copy, setCopy] = useState<'idle' | 'copied' | 'select'>('idle');

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (shown && !dialog.open) {
      setCopy('idle');
      dialog.showModal();
    } else if (!shown && dialog.open) dialog.close();
  }, [shown]);

  const selectKey = () => {
    input.current?.focus();
    input.current?.select();
  };
  const copyKey = async () => {
    if (!shown) return;
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(shown.key);
      setCopy('copied');
    } catch {
      selectKey();
      setCopy('select');
    }
  };

  return (
    <dialog
      ref={ref}
      className="dialog key-once"
      aria-labelledby="key-once-title"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      {shown && (
        <>
          <h2 id="key-once-title">{t('apiClients.keyOnce.title', { name: shown.name })}</h2>
          <p>{t('apiClients.keyOnce.intro')}</p>
          <p className="notice info" id="key-once-warning">
            <strong>{t('apiClients.keyOnce.warning')}</strong>
          </p>
          <div className="field">
            <label htmlFor="key-once-value">
              <span>{t('apiClients.keyOnce.label')}</span>
            </label>
            <div className="secret-row">
              <input
                ref={input}
                id="key-once-value"
                className="mono"
                readOnly
                value={shown.key}
                spellCheck={false}
                aria-describedby="key-once-warning"
                onFocus={(e) => e.currentTarget.select()}
              />
              <button type="button" className="button primary" onClick={() => void copyKey()}>
                {t('apiClients.keyOnce.copy')}
              </button>
            </div>
            {copy === 'copied' && (
              <span className="hint ok" role="status">
                {t('apiClients.keyOnce.copied')}
              </span>
            )}
            {copy === 'select' && (
              <span className="hint" role="status">
                {t('apiClients.keyOnce.selectToCopy')}
              </span>
            )}
          </div>
          <div className="dialog-actions">
            <button type="button" className="button" onClick={onClose}>
              {t('apiClients.keyOnce.done')}
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}
