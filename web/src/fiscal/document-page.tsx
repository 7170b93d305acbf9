import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { FiscalConsultation, FiscalDocument, FiscalEvent, Role } from '../api/types.ts';
import { ApiError, api } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { describeErrorIn } from '../components/error-text.ts';
import { Notice } from '../components/notice.tsx';
import { useLoad } from '../components/use-load.ts';
import { formatDateTime } from '../format.ts';
import { type Feedback, FeedbackNotice } from '../orders/feedback.tsx';
import { downloadXml, openDanfe, rejectionReason } from '../orders/fiscal-files.ts';
import { FiscalStatusNotes } from '../orders/fiscal-status-notes.tsx';
import { useConfirm } from '../orders/use-confirm.tsx';
import { ConsultationAnswer } from './consultation.tsx';
import { FiscalStatus, modelName } from './document-text.tsx';

/** Who may cancel a document or correct it (the API's FISCAL.NOT_CANCELLER otherwise). */
const managers: readonly Role[] = ['store_manager', 'central_admin', 'network_admin'];
/** xJust of the cancellation (event 110111): 15 to 255 characters. */
const JUSTIFICATION = { min: 15, max: 255 };
/** xCorrecao of the correction letter (event 110110): 15 to 1,000 characters. */
const CORRECTION = { min: 15, max: 1000 };

/**
 * One fiscal document: its facts, SEFAZ's protocol or rejection (code and text), the events registered
 * on it, and what may be done with it: the DANFE and the XML, "Consultar na SEFAZ", cancelling and the
 * correction letter (an NF-e's "Carta de correção").
 */
export function FiscalDocumentPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { me } = useAuth();
  const loaded = useLoad(
    (signal) => api<FiscalDocument>('GET', `/api/v1/fiscal-documents/${id}`, undefined, signal),
    [id],
  );
  const { ask, dialog } = useConfirm();
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  const [consultation, setConsultation] = useState<FiscalConsultation | null>(null);
  const [consulting, setConsulting] = useState(false);
  const doc = loaded.data;

  if (!doc)
    return (
      <section className="fiscal-document-page">
        <p>
          <Link to="/fiscal/documents">← {t('fiscal.documents.detail.back')}</Link>
        </p>
        {loaded.error ? (
          <Notice kind="error">
            {loaded.error instanceof ApiError && loaded.error.status === 404
              ? t('fiscal.documents.detail.notFound')
              : describeErrorIn(t, loaded.error, 'orders')}
          </Notice>
        ) : (
          <p className="loading">{t('actions.loading')}</p>
        )}
      </section>
    );

  const model = modelName(t, doc.model);
  const failed = (err: unknown) => setFeedback({ kind: 'error', text: describeErrorIn(t, err, 'orders') });
  const isManager = me !== null && managers.includes(me.actor);
  const pending = doc.events.some((e) => e.status === 'sending');

  const consult = async () => {
    setConsulting(true);
    setConsultation(null);
    try {
      const answer = await api<FiscalConsultation>('POST', `/api/v1/fiscal-documents/${doc.id}/consult`);
      setConsultation(answer);
      if (answer.ok && answer.queued) setTimeout(loaded.reload, 1500);
    } catch (err) {
      failed(err);
    } finally {
      setConsulting(false);
    }
  };

  const cancel = () =>
    ask({
      title: t('fiscal.documents.cancelDialog.title', { model, number: doc.number }),
      message: (
        <>
          <p>
            {t('fiscal.documents.cancelDialog.message', { model, number: doc.number, series: doc.series })}
          </p>
          <p className="hint">
            {t('fiscal.documents.cancelDialog.window', {
              window: t(`orders.fiscal.windows.${doc.model}`, { defaultValue: '' }),
            })}
          </p>
        </>
      ),
      confirmLabel: t('fiscal.documents.cancelDialog.confirm'),
      danger: true,
      reason: {
        label: t('fiscal.documents.cancelDialog.justification'),
        required: true,
        minLength: JUSTIFICATION.min,
        maxLength: JUSTIFICATION.max,
      },
      run: async (justification) => {
        try {
          const res = await api<FiscalDocument>('POST', `/api/v1/fiscal-documents/${doc.id}/cancel`, {
            justification,
          });
          loaded.set(res);
          setFeedback(
            res.status === 'cancelled'
              ? {
                  kind: 'success',
                  text: t('fiscal.documents.cancelDialog.done', { model, number: doc.number }),
                }
              : { kind: 'info', text: t('fiscal.documents.cancelDialog.sending') },
          );
          return undefined;
        } catch (err) {
          if (err instanceof ApiError && err.code === 'FISCAL.CANCELLATION_REJECTED') {
            const rejection = err.problem.rejection as { code: number; reason: string } | undefined;
            setFeedback({
              kind: 'error',
              text: t('fiscal.documents.cancelDialog.rejected', {
                code: rejection?.code,
                reason: rejectionReason(rejection?.reason ?? ''),
              }),
              note: t('orders.fiscal.stillAuthorised', { model, number: doc.number }),
            });
            loaded.reload();
            return undefined;
          }
          throw err;
        }
      },
    });

  const correct = () =>
    ask({
      title: t('fiscal.documents.correctionDialog.title', { model, number: doc.number }),
      message: <p>{t('fiscal.documents.correctionDialog.message')}</p>,
      confirmLabel: t('fiscal.documents.correctionDialog.confirm'),
      reason: {
        label: t('fiscal.documents.correctionDialog.text'),
        required: true,
        minLength: CORRECTION.min,
        maxLength: CORRECTION.max,
      },
      run: async (text) => {
        const event = await api<FiscalEvent>(
          'POST',
          `/api/v1/fiscal-documents/${doc.id}/correction-letters`,
          { text },
        );
        setFeedback(
          event?.status === 'registered'
            ? { kind: 'success', text: t('fiscal.documents.correctionDialog.done') }
            : { kind: 'info', text: t('fiscal.documents.correctionDialog.sending') },
        );
        loaded.reload();
        return undefined;
      },
    });

  return (
    <section className="fiscal-document-page" aria-labelledby="fiscal-document-title">
      <p>
        <Link to="/fiscal/documents">← {t('fiscal.documents.detail.back')}</Link>
      </p>
      <header className="page-header fiscal-document-head">
        <h1 id="fiscal-document-title">
          {t('fiscal.documents.detail.title', { model, number: doc.number, series: doc.series })}
        </h1>
        <FiscalStatus status={doc.status} />
      </header>
      {feedback && <FeedbackNotice feedback={feedback} onDismiss={() => setFeedback(null)} />}

      <fieldset className="fiscal-document-actions plain">
        <legend className="visually-hidden">{t('fiscal.documents.actions.label')}</legend>
        {doc.status !== 'rejected' && (
          <button
            type="button"
            className="button"
            aria-label={t('orders.fiscal.danfeOf', { model, number: doc.number })}
            onClick={() => void openDanfe(t, doc.id).catch(failed)}
          >
            {t('orders.fiscal.danfe')}
          </button>
        )}
        <button
          type="button"
          className="button"
          aria-label={t('orders.fiscal.xmlOf', { model, number: doc.number })}
          onClick={() => void downloadXml(doc.id, doc.accessKey).catch(failed)}
        >
          {t('orders.fiscal.xml')}
        </button>
        <button type="button" className="button" onClick={() => void consult()} disabled={consulting}>
          {consulting ? t('fiscal.documents.actions.consulting') : t('fiscal.documents.actions.consult')}
        </button>
        {isManager && doc.status === 'authorised' && doc.model === 55 && (
          <button type="button" className="button" onClick={correct} disabled={pending}>
            {t('fiscal.documents.actions.correction')}
          </button>
        )}
        {isManager && doc.status === 'authorised' && (
          <button type="button" className="button danger-outline" onClick={cancel} disabled={pending}>
            {t('fiscal.documents.actions.cancel')}
          </button>
        )}
      </fieldset>

      {consultation && <ConsultationAnswer answer={consultation} />}

      {doc.rejection && (
        <section className="notice error fiscal-rejection" role="status">
          <strong>{t('fiscal.documents.detail.rejectionTitle')}</strong>{' '}
          {t('fiscal.documents.detail.rejection', {
            code: doc.rejection.code,
            reason: rejectionReason(doc.rejection.reason),
          })}
        </section>
      )}
      {!doc.signatureValid && <p className="notice error">{t('orders.fiscal.signatureInvalid')}</p>}

      <section className="card">
        <dl className="fiscal-facts">
          <div>
            <dt>{t('orders.fiscal.accessKey')}</dt>
            <dd className="mono access-key">{doc.formattedAccessKey}</dd>
          </div>
          <div>
            <dt>{t('fiscal.documents.detail.store')}</dt>
            <dd>{doc.storeCode}</dd>
          </div>
          <div>
            <dt>{t('fiscal.documents.detail.purpose')}</dt>
            <dd>{t(`fiscal.documents.purposes.${doc.purpose}`)}</dd>
          </div>
          <div>
            <dt>{t('fiscal.documents.detail.reference')}</dt>
            <dd>
              {doc.reference.type === 'order' ? (
                <Link to={`/orders/${doc.reference.id}`}>{t('fiscal.documents.detail.openOrder')}</Link>
              ) : (
                t(`fiscal.documents.references.${doc.reference.type}`, { defaultValue: doc.reference.type })
              )}
            </dd>
          </div>
          <div>
            <dt>{t('fiscal.documents.detail.issuedAt')}</dt>
            <dd>{formatDateTime(doc.createdAt)}</dd>
          </div>
          {doc.protocol && (
            <div>
              <dt>{t('orders.fiscal.protocol')}</dt>
              <dd className="mono">{doc.protocol}</dd>
            </div>
          )}
          {doc.authorisedAt && (
            <div>
              <dt>{t('fiscal.documents.detail.authorisedAt')}</dt>
              <dd>{formatDateTime(doc.authorisedAt)}</dd>
            </div>
          )}
          {doc.cancelledAt && (
            <div>
              <dt>{t('orders.fiscal.cancelledAt')}</dt>
              <dd>{formatDateTime(doc.cancelledAt)}</dd>
            </div>
          )}
        </dl>
        <FiscalStatusNotes doc={doc} />
      </section>

      <section className="card" aria-labelledby="fiscal-events-title">
        <h2 id="fiscal-events-title">{t('fiscal.documents.detail.events')}</h2>
        {doc.events.length === 0 ? (
          <p className="hint">{t('fiscal.documents.detail.noEvents')}</p>
        ) : (
          <div className="table-wrap">
            <table className="fiscal-events-table" aria-labelledby="fiscal-events-title">
              <thead>
                <tr>
                  <th scope="col">{t('fiscal.documents.detail.eventTable.type')}</th>
                  <th scope="col">{t('fiscal.documents.detail.eventTable.at')}</th>
                  <th scope="col">{t('fiscal.documents.detail.eventTable.text')}</th>
                  <th scope="col">{t('fiscal.documents.detail.eventTable.status')}</th>
                  <th scope="col">{t('fiscal.documents.detail.eventTable.protocol')}</th>
                </tr>
              </thead>
              <tbody>
                {doc.events.map((e) => (
                  <tr key={e.id}>
                    <td>{t(`fiscal.documents.detail.eventTypes.${e.type}`, { defaultValue: e.type })}</td>
                    <td>{formatDateTime(e.registeredAt ?? e.createdAt)}</td>
                    <td className="fiscal-event-text">{e.justification}</td>
                    <td>
                      {t(`fiscal.documents.detail.eventStatuses.${e.status}`)}
                      {e.rejection && (
                        <small className="fiscal-event-rejection">
                          {t('fiscal.documents.detail.eventRejection', {
                            code: e.rejection.code,
                            reason: rejectionReason(e.rejection.reason),
                          })}
                        </small>
                      )}
                    </td>
                    <td className="mono">{e.protocol ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {dialog}
    </section>
  );
}
