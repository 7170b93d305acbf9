import { useTranslation } from 'react-i18next';
import type { FiscalDocument } from '../api/types.ts';
import { formatDateTime } from '../format.ts';

/**
 * What a document's status means for the store, in one place for the order's card and the document's page:
 * waiting for SEFAZ, kept for a manual transmission, in contingency (and until when), issued in contingency
 * and since authorised (the NF-e in SVC, the NFC-e offline), authorised late (150), denied.
 */
export function FiscalStatusNotes({ doc }: { doc: FiscalDocument }) {
  const { t } = useTranslation();
  return (
    <>
      {doc.status === 'sending' && <p className="hint">{t('orders.fiscal.waiting')}</p>}
      {doc.status === 'unsent' && <p className="hint">{t('orders.fiscal.unsentHint')}</p>}
      {doc.contingency && doc.status === 'contingency' && (
        <p className="notice warning">
          {t('orders.fiscal.contingency', {
            at: formatDateTime(doc.contingency.at),
            deadline: formatDateTime(doc.contingency.transmitBy),
          })}
        </p>
      )}
      {doc.contingency && doc.status !== 'contingency' && (
        <p className="hint">
          {t(doc.model === 55 ? 'orders.fiscal.contingencySvc' : 'orders.fiscal.contingencyAuthorised', {
            at: formatDateTime(doc.contingency.at),
          })}
        </p>
      )}
      {doc.authorisation?.code === 150 && <p className="hint">{t('orders.fiscal.lateAuthorisation')}</p>}
      {doc.status === 'denied' && <p className="hint">{t('orders.fiscal.deniedNote')}</p>}
    </>
  );
}
