import type { TFunction } from 'i18next';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { FiscalDocument, Order, OrderStatus, Role } from '../api/types.ts';
import { ApiError, api } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { describeErrorIn } from '../components/error-text.ts';
import { Notice } from '../components/notice.tsx';
import { formatDateTime } from '../format.ts';
import type { Feedback } from './feedback.tsx';
import {
  downloadEventXml,
  downloadXml,
  openDanfe,
  printsDanfeAutomatically,
  rejectionReason,
} from './fiscal-files.ts';
import { FiscalStatusNotes } from './fiscal-status-notes.tsx';
import { InvoicedOrderCancel } from './invoice-cancellation.tsx';
import type { Question } from './use-confirm.tsx';

/** Who may cancel an authorised document at SEFAZ (the API's FISCAL.NOT_CANCELLER otherwise). */
const cancellers: readonly Role[] = ['store_manager', 'central_admin', 'network_admin'];
/** xJust of the cancellation event (NF-e manual, event 110111): 15 to 255 characters. */
const JUSTIFICATION = { min: 15, max: 255 };
const CANCELLATION = '110111';
/** xCorrecao of the correction letter (CC-e, event 110110): 15 to 1,000 characters; NF-e only. */
const CORRECTION = { type: '110110', min: 15, max: 1000 };

const modelName = (t: TFunction, doc: FiscalDocument) =>
  t(`orders.fiscal.models.${doc.model}`, { defaultValue: String(doc.model) });
const windowOf = (t: TFunction, doc: FiscalDocument) =>
  t(`orders.fiscal.windows.${doc.model}`, { defaultValue: '' });

/**
 * The order's fiscal documents (NF-e, NFC-e), oldest first: number and series, status, access key,
 * SEFAZ's protocol or rejection, the DANFE and the XML, and cancelling an authorised one with a
 * justification. Re-read whenever the order changes (the live feed brings SEFAZ's late answers).
 */
export function FiscalDocuments(props: {
  order: Order;
  ask(question: Question): void;
  notify(feedback: Feedback | null): void;
  /** The order changed through a document (cancelled with its NF-e): read it again. */
  onOrderChanged(): void;
  /** The cancellation will move the order to this status: its echo is not someone else's change. */
  expect?(orderId: string, status: OrderStatus): void;
}) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const { order } = props;
  const [documents, setDocuments] = useState<FiscalDocument[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [transmitting, setTransmitting] = useState<string | null>(null);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const page = await api<{ items: FiscalDocument[] }>(
          'GET',
          `/api/v1/orders/${order.id}/fiscal-documents`,
          undefined,
          signal,
        );
        setDocuments(page.items);
        setError(null);
      } catch (err) {
        if (!signal?.aborted) setError(err);
      }
    },
    [order.id],
  );

  // Every change of the order (status, version) may be a document's: invoiced, rejected, cancelled.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the order's version is the reason to re-read
  useEffect(() => {
    const abort = new AbortController();
    void load(abort.signal);
    return () => abort.abort();
  }, [load, order.version, order.status]);

  const failed = (err: unknown) => props.notify({ kind: 'error', text: describeErrorIn(t, err, 'orders') });

  const cancel = (doc: FiscalDocument) => {
    const model = modelName(t, doc);
    props.ask({
      title: t('orders.fiscal.cancelDialog.title', { model }),
      message: (
        <>
          <p>
            {t('orders.fiscal.cancelDialog.message', {
              model,
              number: doc.number,
              series: doc.series,
              order: order.number,
            })}
          </p>
          <p className="hint">{t('orders.fiscal.cancelDialog.window', { window: windowOf(t, doc) })}</p>
        </>
      ),
      confirmLabel: t('orders.fiscal.cancelDialog.confirm', { model }),
      danger: true,
      reason: {
        label: t('orders.fiscal.cancelDialog.justification'),
        required: true,
        minLength: JUSTIFICATION.min,
        maxLength: JUSTIFICATION.max,
      },
      run: async (justification) => {
        try {
          props.expect?.(order.id, 'cancelled');
          const res = await fetchCancel(doc.id, justification);
          props.notify(
            res.status === 'cancelled'
              ? { kind: 'success', text: t('orders.fiscal.cancelled', { model, number: doc.number }) }
              : { kind: 'info', text: t('orders.fiscal.cancelSending', { model, number: doc.number }) },
          );
          props.onOrderChanged();
          void load();
          return undefined;
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
          if (err.code === 'FISCAL.CANCELLATION_REJECTED') {
            const rejection = err.problem.rejection as { code: number; reason: string } | undefined;
            props.notify({
              kind: 'error',
              text:
                rejection?.code === 501
                  ? t('orders.fiscal.cancelExpired', { window: windowOf(t, doc) })
                  : t('orders.fiscal.cancelRejected', {
                      code: rejection?.code,
                      reason: rejectionReason(rejection?.reason ?? ''),
                    }),
              note: t('orders.fiscal.stillAuthorised', { model, number: doc.number }),
            });
            void load();
            return undefined;
          }
          if (err.status === 409) {
            props.notify({ kind: 'error', text: describeErrorIn(t, err, 'orders') });
            props.onOrderChanged();
            void load();
            return undefined;
          }
          // The justification refused, no network, no permission: the dialog says it, for another try.
          throw err;
        }
      },
    });
  };

  const correct = (doc: FiscalDocument) => {
    props.ask({
      title: t('orders.fiscal.correctionDialog.title'),
      message: (
        <>
          <p>{t('orders.fiscal.correctionDialog.message', { number: doc.number, series: doc.series })}</p>
          <p className="hint">{t('orders.fiscal.correctionDialog.conditions')}</p>
        </>
      ),
      confirmLabel: t('orders.fiscal.correctionDialog.confirm'),
      reason: {
        label: t('orders.fiscal.correctionDialog.text'),
        required: true,
        minLength: CORRECTION.min,
        maxLength: CORRECTION.max,
      },
      run: async (text) => {
        try {
          const res = await api<FiscalDocument>(
            'POST',
            `/api/v1/fiscal-documents/${doc.id}/correction-letters`,
            {
              text,
            },
          );
          const last = res.events.filter((e) => e.type === CORRECTION.type).at(-1);
          props.notify(
            last?.status === 'registered'
              ? {
                  kind: 'success',
                  text: t('orders.fiscal.corrected', { number: doc.number, sequence: last.sequence }),
                }
              : { kind: 'info', text: t('orders.fiscal.correctionSending', { number: doc.number }) },
          );
          void load();
          return undefined;
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
          if (err.code === 'FISCAL.CORRECTION_REJECTED') {
            const rejection = err.problem.rejection as { code: number; reason: string } | undefined;
            props.notify({
              kind: 'error',
              text: t('orders.fiscal.correctionRejected', {
                code: rejection?.code,
                reason: rejectionReason(rejection?.reason ?? ''),
              }),
            });
            void load();
            return undefined;
          }
          if (err.status === 409) {
            props.notify({ kind: 'error', text: describeErrorIn(t, err, 'orders') });
            void load();
            return undefined;
          }
          throw err;
        }
      },
    });
  };

  /**
   * "Transmitir": the NF-e kept unsent (TP_ENVIO_NFE_AUTOMATIC 0 or 2) goes to SEFAZ now; the answer moves
   * the order (invoiced, or back to picking on a rejection). With 2 the DANFE then opens by itself.
   */
  const transmit = async (doc: FiscalDocument) => {
    const model = modelName(t, doc);
    setTransmitting(doc.id);
    try {
      for (const status of ['invoiced', 'picking'] as const) props.expect?.(order.id, status);
      const res = await api<FiscalDocument>('POST', `/api/v1/fiscal-documents/${doc.id}/transmit`);
      props.notify(
        res.status === 'authorised'
          ? { kind: 'success', text: t('orders.fiscal.transmitted', { model, number: doc.number }) }
          : { kind: 'info', text: t('orders.fiscal.transmitSending', { model, number: doc.number }) },
      );
      if (res.status === 'authorised' && (await printsDanfeAutomatically(order.storeCode)))
        await openDanfe(t, doc.id).catch(failed);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'FISCAL.REJECTED') {
        const rejection = err.problem.rejection as { code: number; reason: string } | undefined;
        props.notify({
          kind: 'error',
          text: t('orders.invoice.rejected', { number: order.number }),
          note: t('orders.fiscal.rejection', {
            code: rejection?.code,
            reason: rejectionReason(rejection?.reason ?? ''),
          }),
        });
      } else failed(err);
    } finally {
      setTransmitting(null);
      props.onOrderChanged();
      void load();
    }
  };

  const canCancel = me !== null && cancellers.includes(me.actor);
  return (
    <section className="card order-section" aria-labelledby="fiscal-title">
      <h2 id="fiscal-title">{t('orders.fiscal.title')}</h2>
      {canCancel &&
        (order.status === 'invoiced' || order.status === 'delivered') &&
        documents?.some((d) => d.status === 'authorised') && (
          <p className="actions">
            <InvoicedOrderCancel
              order={order}
              notify={props.notify}
              onOrderChanged={() => {
                props.onOrderChanged();
                void load();
              }}
              expect={props.expect}
            />
          </p>
        )}
      {error ? <Notice kind="error">{describeErrorIn(t, error, 'orders')}</Notice> : null}
      {!documents && !error && <p className="loading compact">{t('orders.fiscal.loading')}</p>}
      {documents?.length === 0 && <p className="hint">{t('orders.fiscal.empty')}</p>}
      {documents && documents.length > 0 && (
        <ul className="fiscal-documents">
          {documents.map((doc) => (
            <DocumentItem
              key={doc.id}
              doc={doc}
              onDanfe={() => void openDanfe(t, doc.id).catch(failed)}
              onXml={() => void downloadXml(doc.id, doc.accessKey).catch(failed)}
              onCancel={canCancel && doc.status === 'authorised' ? () => cancel(doc) : undefined}
              onCorrect={doc.status === 'authorised' && doc.model === 55 ? () => correct(doc) : undefined}
              onEventXml={(eventId, name) => void downloadEventXml(doc.id, eventId, name).catch(failed)}
              onTransmit={doc.status === 'unsent' ? () => void transmit(doc) : undefined}
              transmitting={transmitting === doc.id}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

async function fetchCancel(id: string, justification: string): Promise<FiscalDocument> {
  return api<FiscalDocument>('POST', `/api/v1/fiscal-documents/${id}/cancel`, { justification });
}

function DocumentItem(props: {
  doc: FiscalDocument;
  onDanfe(): void;
  onXml(): void;
  onCancel?: () => void;
  onCorrect?: () => void;
  onEventXml(eventId: string, name: string): void;
  onTransmit?: () => void;
  transmitting?: boolean;
}) {
  const { t } = useTranslation();
  const { doc } = props;
  const model = modelName(t, doc);
  const cancellations = doc.events.filter((e) => e.type === CANCELLATION);
  const corrections = doc.events.filter((e) => e.type === CORRECTION.type);
  const pending = doc.events.some((e) => e.status === 'sending');
  const refused = cancellations.filter((e) => e.status === 'rejected' && e.rejection);
  const headingId = `fiscal-doc-${doc.id}`;
  return (
    <li className="fiscal-document" data-key={doc.accessKey} aria-labelledby={headingId}>
      <div className="fiscal-document-head">
        <h3 id={headingId}>
          {model} {t('orders.fiscal.numberSeries', { number: doc.number, series: doc.series })}
        </h3>
        <span className={`status fiscal-${doc.status}`}>{t(`orders.fiscal.statuses.${doc.status}`)}</span>
      </div>
      <dl className="fiscal-facts">
        <div>
          <dt>{t('orders.fiscal.accessKey')}</dt>
          <dd className="mono access-key">{doc.formattedAccessKey}</dd>
        </div>
        <div>
          <dt>{t('orders.fiscal.createdAt')}</dt>
          <dd>{formatDateTime(doc.createdAt)}</dd>
        </div>
        {doc.protocol && (
          <div>
            <dt>{t('orders.fiscal.protocol')}</dt>
            <dd>
              {doc.authorisedAt
                ? t('orders.fiscal.protocolAt', {
                    protocol: doc.protocol,
                    at: formatDateTime(doc.authorisedAt),
                  })
                : doc.protocol}
            </dd>
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
      {doc.rejection && (
        <p className="notice error">
          {t('orders.fiscal.rejection', {
            code: doc.rejection.code,
            reason: rejectionReason(doc.rejection.reason),
          })}
        </p>
      )}
      {cancellations.some((e) => e.status === 'sending') && (
        <p className="hint">{t('orders.fiscal.cancelWaiting')}</p>
      )}
      {corrections.length > 0 && (
        <ul className="fiscal-corrections" aria-label={t('orders.fiscal.corrections')}>
          {corrections.map((e) => (
            <li key={e.id}>
              <strong>{t('orders.fiscal.correctionItem', { sequence: e.sequence })}</strong>{' '}
              {t(`orders.fiscal.correctionStatuses.${e.status}`)}
              {e.protocol ? ` · ${t('orders.fiscal.protocol')} ${e.protocol}` : ''}
              {e.rejection
                ? ` · ${t('orders.fiscal.rejection', { code: e.rejection.code, reason: rejectionReason(e.rejection.reason) })}`
                : ''}
              <br />
              <span className="hint">{e.text}</span>{' '}
              {e.status === 'registered' && (
                <button
                  type="button"
                  className="button small"
                  onClick={() =>
                    props.onEventXml(
                      e.id,
                      `${doc.accessKey}-110110-${String(e.sequence).padStart(2, '0')}-procEventoNFe.xml`,
                    )
                  }
                >
                  {t('orders.fiscal.correctionXml')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {refused.map((e) => (
        <p key={e.id} className="hint">
          {t('orders.fiscal.cancelRefused', {
            at: formatDateTime(e.registeredAt ?? e.createdAt),
            code: e.rejection?.code,
            reason: rejectionReason(e.rejection?.reason ?? ''),
          })}
        </p>
      ))}
      {!doc.signatureValid && <p className="notice error">{t('orders.fiscal.signatureInvalid')}</p>}
      <div className="fiscal-document-actions">
        {/* A DANFE without SEFAZ's authorisation (rejected, or not transmitted yet) is no document. */}
        {doc.status !== 'rejected' && doc.status !== 'unsent' && (
          <button
            type="button"
            className="button small"
            aria-label={t('orders.fiscal.danfeOf', { model, number: doc.number })}
            onClick={props.onDanfe}
          >
            {t('orders.fiscal.danfe')}
          </button>
        )}
        <button
          type="button"
          className="button small"
          aria-label={t('orders.fiscal.xmlOf', { model, number: doc.number })}
          onClick={props.onXml}
        >
          {t('orders.fiscal.xml')}
        </button>
        <Link
          className="button small"
          to={`/fiscal/documents/${doc.id}`}
          aria-label={t('orders.fiscal.openOf', { model, number: doc.number })}
        >
          {t('orders.fiscal.open')}
        </Link>
        {props.onCorrect && !pending && (
          <button type="button" className="button small" onClick={props.onCorrect}>
            {t('orders.fiscal.correct')}
          </button>
        )}
        {props.onTransmit && (
          <button
            type="button"
            className="button small primary"
            disabled={props.transmitting}
            aria-label={t('orders.fiscal.transmitOf', { model, number: doc.number })}
            onClick={props.onTransmit}
          >
            {props.transmitting ? t('orders.fiscal.transmitting') : t('orders.fiscal.transmit')}
          </button>
        )}
        {props.onCancel && !pending && (
          <button type="button" className="button small danger-outline" onClick={props.onCancel}>
            {t('orders.fiscal.cancel', { model })}
          </button>
        )}
      </div>
    </li>
  );
}
