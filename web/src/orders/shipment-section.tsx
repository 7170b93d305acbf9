import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Order } from '../api/types.ts';
import { api } from '../api.ts';
import { describeErrorIn } from '../components/error-text.ts';
import { fieldLayout } from '../components/form-fields.tsx';
import { Notice } from '../components/notice.tsx';
import { fieldErrorsByKey } from '../errors.ts';
import { formatDateTime } from '../format.ts';
import type { Feedback } from './feedback.tsx';

type Key = 'carrier' | 'service' | 'trackingCode' | 'trackingUrl';
const keys: readonly Key[] = ['carrier', 'service', 'trackingCode', 'trackingUrl'];
/** Once delivered or cancelled, the tracking is history (the API refuses a change: ORDER.SHIPMENT_LOCKED). */
const CLOSED: readonly Order['status'][] = ['delivered', 'cancelled'];

/**
 * "Transporte" of a ship order (seed 003 Em Transporte): carrier, service, tracking code and its link, who
 * stated it, the carrier's label; "Informar rastreio" (PUT …/shipment) with field errors beside the fields;
 * the carrier's last fault or refusal; "Gerar envio na transportadora"; and the carrier's tracking timeline.
 */
export function ShipmentSection(props: {
  order: Order;
  onChanged(order: Order): void;
  notify(feedback: Feedback): void;
}) {
  const { t } = useTranslation();
  const { order } = props;
  const [editing, setEditing] = useState(false);
  const [creating, setCreating] = useState(false);
  if (order.deliveryType !== 'ship') return null;
  const shipment = order.shipment;
  const problem = order.carrierProblem;

  const create = async () => {
    setCreating(true);
    try {
      const next = await api<Order>('POST', `/api/v1/orders/${order.id}/carrier-shipment`);
      props.onChanged(next);
      props.notify({ kind: 'success', text: t('orders.shipment.created', { number: next.number }) });
    } catch (err) {
      props.notify({ kind: 'error', text: describeErrorIn(t, err, 'orders') });
    } finally {
      setCreating(false);
    }
  };

  return (
    <section className="card order-section shipment-section" aria-labelledby="order-shipment">
      <h2 id="order-shipment">{t('orders.shipment.title')}</h2>
      {editing ? (
        <ShipmentForm
          order={order}
          onCancel={() => setEditing(false)}
          onSaved={(next) => {
            setEditing(false);
            props.onChanged(next);
            props.notify({ kind: 'success', text: t('orders.shipment.saved', { number: next.number }) });
          }}
        />
      ) : shipment ? (
        <dl className="facts compact">
          <Fact label={t('orders.shipment.carrier')} value={shipment.carrier} />
          {shipment.service && <Fact label={t('orders.shipment.service')} value={shipment.service} />}
          <Fact
            label={t('orders.shipment.trackingCode')}
            value={
              shipment.trackingCode ? (
                <>
                  <span className="mono tracking-code">{shipment.trackingCode}</span>
                  {shipment.trackingUrl && (
                    <>
                      {' '}
                      <a href={shipment.trackingUrl} target="_blank" rel="noreferrer noopener">
                        {t('orders.shipment.open')}
                      </a>
                    </>
                  )}
                </>
              ) : (
                <span className="hint">{t('orders.shipment.noCode')}</span>
              )
            }
          />
          <Fact label={t('orders.shipment.source')} value={t(`orders.shipment.sources.${shipment.source}`)} />
          {shipment.carrierLabel && <p className="hint">{t('orders.shipment.label')}</p>}
        </dl>
      ) : (
        <p className="hint">{t('orders.shipment.none')}</p>
      )}

      {problem && (
        <Notice kind="error">
          {t(`orders.shipment.problem.${problem.operation}`)}: {problem.message} —{' '}
          {problem.final
            ? t('orders.shipment.problem.final')
            : t('orders.shipment.problem.retrying', { attempts: problem.attempts })}
        </Notice>
      )}

      {!editing && (
        <p className="form-actions">
          {!CLOSED.includes(order.status) && (
            <button type="button" className="button small" onClick={() => setEditing(true)}>
              {shipment ? t('orders.shipment.correct') : t('orders.shipment.inform')}
            </button>
          )}{' '}
          {order.carrierShipmentAvailable && (
            <button type="button" className="button small" disabled={creating} onClick={() => void create()}>
              {creating ? t('orders.shipment.creating') : t('orders.shipment.create')}
            </button>
          )}
        </p>
      )}

      <h3>{t('orders.shipment.events')}</h3>
      {order.trackingEvents.length === 0 ? (
        <p className="hint">{t('orders.shipment.noEvents')}</p>
      ) : (
        <ol className="timeline tracking-events">
          {order.trackingEvents.map((e) => (
            <li key={`${e.at} ${e.carrierCode} ${e.description}`}>
              <time dateTime={e.at}>{formatDateTime(e.at)}</time>
              <strong className="timeline-change">{t(`orders.shipment.trackingStatuses.${e.status}`)}</strong>
              <span className="timeline-reason">
                {e.description}
                {e.location ? ` — ${e.location}` : ''}
              </span>
              <span className="timeline-who">{t(`orders.shipment.eventSources.${e.source}`)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function ShipmentForm(props: { order: Order; onSaved(order: Order): void; onCancel(): void }) {
  const { t } = useTranslation();
  const ids = useId();
  const current = props.order.shipment;
  const [values, setValues] = useState<Record<Key, string>>({
    carrier: current?.carrier ?? props.order.carrier ?? '',
    service: current?.service ?? '',
    trackingCode: current?.trackingCode ?? '',
    trackingUrl: current?.trackingUrl ?? '',
  });
  const [errors, setErrors] = useState<Partial<Record<Key, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const { field, described } = fieldLayout(ids, errors);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local: Partial<Record<Key, string>> = {};
    if (!values.carrier.trim()) local.carrier = t('fields.VALIDATION.REQUIRED');
    if (!values.trackingCode.trim()) local.trackingCode = t('fields.VALIDATION.REQUIRED');
    setErrors(local);
    if (Object.keys(local).length) {
      setFormError(t('orders.shipment.invalid'));
      return;
    }
    setSaving(true);
    setFormError(null);
    try {
      props.onSaved(
        await api<Order>('PUT', `/api/v1/orders/${props.order.id}/shipment`, {
          carrier: values.carrier.trim().toUpperCase(),
          service: values.service.trim() || null,
          trackingCode: values.trackingCode.trim(),
          trackingUrl: values.trackingUrl.trim() || null,
        }),
      );
    } catch (err) {
      const byField = fieldErrorsByKey(t, err, keys);
      setErrors(byField);
      setFormError(describeErrorIn(t, err, 'orders'));
      const first = Object.keys(byField)[0];
      if (first) document.getElementById(`${ids}-${first}`)?.focus();
    } finally {
      setSaving(false);
    }
  };

  const input = (key: Key, maxLength: number) => (
    <input
      id={`${ids}-${key}`}
      value={values[key]}
      maxLength={maxLength}
      aria-invalid={errors[key] ? true : undefined}
      aria-describedby={described(key, key === 'carrier' || key === 'trackingUrl')}
      onChange={(e) => setValues({ ...values, [key]: e.target.value })}
    />
  );

  return (
    <form className="shipment-form" aria-label={t('orders.shipment.inform')} onSubmit={submit} noValidate>
      {formError && <Notice kind="error">{formError}</Notice>}
      {field('carrier', t('orders.shipment.carrier'), input('carrier', 20), t('orders.shipment.carrierHint'))}
      {field('service', t('orders.shipment.service'), input('service', 40))}
      {field('trackingCode', t('orders.shipment.trackingCode'), input('trackingCode', 40))}
      {field(
        'trackingUrl',
        t('orders.shipment.trackingUrl'),
        input('trackingUrl', 500),
        t('orders.shipment.trackingUrlHint'),
      )}
      <p className="form-actions">
        <button type="submit" className="button primary" disabled={saving}>
          {saving ? t('orders.shipment.saving') : t('orders.shipment.save')}
        </button>{' '}
        <button type="button" className="button" onClick={props.onCancel} disabled={saving}>
          {t('actions.cancel')}
        </button>
      </p>
    </form>
  );
}

function Fact({ label, value }: { label: string; value: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}
