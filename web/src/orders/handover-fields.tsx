import { useId } from 'react';
import { useTranslation } from 'react-i18next';

/** What the clerk types in the handover dialog; read when the dialog is confirmed. */
export interface HandoverDraft {
  name: string;
  document: string;
}

/** Who collects the order: name (required) and an optional document, inside the confirmation dialog. */
export function HandoverFields({ draft, number }: { draft: HandoverDraft; number: number }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <div className="handover-fields">
      <p>{t('counter.handover.message', { number })}</p>
      <div className="field">
        <label htmlFor={`${id}-name`}>{t('counter.handover.name')}</label>
        <input
          id={`${id}-name`}
          name="pickupName"
          required
          minLength={2}
          maxLength={100}
          autoComplete="off"
          aria-describedby={`${id}-name-hint`}
          onChange={(e) => {
            draft.name = e.target.value;
          }}
        />
        <span className="hint" id={`${id}-name-hint`}>
          {t('counter.handover.nameHint')}
        </span>
      </div>
      <div className="field">
        <label htmlFor={`${id}-document`}>{t('counter.handover.document')}</label>
        <input
          id={`${id}-document`}
          name="pickupDocument"
          maxLength={30}
          autoComplete="off"
          inputMode="text"
          aria-describedby={`${id}-document-hint`}
          onChange={(e) => {
            draft.document = e.target.value;
          }}
        />
        <span className="hint" id={`${id}-document-hint`}>
          {t('counter.handover.documentHint')}
        </span>
      </div>
    </div>
  );
}
