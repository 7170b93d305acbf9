import { useTranslation } from 'react-i18next';
import type { FiscalConsultation } from '../api/types.ts';
import { formatDateTime } from '../format.ts';
import { rejectionReason } from '../orders/fiscal-files.ts';

/** SEFAZ's answer to "Consultar na SEFAZ", beside the document's situation here. */
export function ConsultationAnswer({ answer }: { answer: FiscalConsultation }) {
  const { t } = useTranslation();
  if (!answer.ok)
    return (
      <section className="card fiscal-consultation" aria-labelledby="fiscal-consult-title" aria-live="polite">
        <h2 id="fiscal-consult-title">{t('fiscal.documents.consult.title')}</h2>
        <p className="notice error" role="alert">
          {t('fiscal.documents.consult.fault', {
            kind: t(`fiscal.documents.consult.kinds.${answer.kind}`),
            message: answer.message,
          })}
        </p>
      </section>
    );
  const { sefaz, ours } = answer;
  const verdict =
    answer.agrees === true
      ? { kind: 'success', text: t('fiscal.documents.consult.agrees') }
      : answer.agrees === false
        ? { kind: 'warning', text: t('fiscal.documents.consult.disagrees') }
        : sefaz.view === 'refused'
          ? null
          : { kind: 'info', text: t('fiscal.documents.consult.pending') };
  return (
    <section
      className="card fiscal-consultation"
      aria-labelledby="fiscal-consult-title"
      aria-live="polite"
      data-testid="fiscal-consultation"
    >
      <h2 id="fiscal-consult-title">{t('fiscal.documents.consult.title')}</h2>
      <p className="hint">{t('fiscal.documents.consult.at', { at: formatDateTime(answer.consultedAt) })}</p>
      <dl className="fiscal-facts">
        <div>
          <dt>{t('fiscal.documents.consult.sefaz')}</dt>
          <dd>
            <strong>{t(`fiscal.documents.consult.views.${sefaz.view}`)}</strong>{' '}
            {t('fiscal.documents.consult.answer', {
              status: sefaz.status,
              reason: rejectionReason(sefaz.reason),
            })}
          </dd>
        </div>
        {sefaz.protocol && (
          <div>
            <dt>{t('fiscal.documents.consult.protocol')}</dt>
            <dd className="mono">{sefaz.protocol}</dd>
          </div>
        )}
        <div>
          <dt>{t('fiscal.documents.consult.ours')}</dt>
          <dd>{t(`orders.fiscal.statuses.${ours.status}`)}</dd>
        </div>
      </dl>
      {verdict && <p className={`notice ${verdict.kind}`}>{verdict.text}</p>}
      {answer.queued && <p className="notice info">{t('fiscal.documents.consult.queued')}</p>}
    </section>
  );
}
