import type { TFunction } from 'i18next';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CancellationAnswer, CancellationWindow, Order, OrderStatus } from '../api/types.ts';
import { ApiError, api } from '../api.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { describeErrorIn } from '../components/error-text.ts';
import { describeField, fieldErrorsOf } from '../errors.ts';
import { formatDateTime, formatMoney } from '../format.ts';
import {
  AddressFields,
  type AddressKey,
  type AddressValues,
  addressBody,
  addressKeys,
  addressValuesOf,
  missingAddressKeys,
} from './address-fields.tsx';
import type { Feedback } from './feedback.tsx';

/** The reason becomes SEFAZ's justification (xJust) or the return NF-e's reason: 15 to 255 characters. */
const REASON = { min: 15, max: 255 };
/** The return NF-e's xLgr has 60 characters (the order's own address takes more). */
const RETURN_ADDRESS_LIMITS = { street: 60 };

type AddressErrors = Partial<Record<AddressKey, string>>;

/**
 * The 422's errors under /customerAddress beside their fields; a city the IBGE table does not know comes back
 * as its missing code (/customerAddress/cityCode) and is shown on the city.
 */
function addressErrorsOf(t: TFunction, error: unknown): AddressErrors {
  const byKey: AddressErrors = {};
  for (const fe of fieldErrorsOf(error)) {
    const [root, part] = fe.path.replace(/^\//, '').split('/');
    if (root !== 'customerAddress' || !part) continue;
    const key = (part === 'cityCode' ? 'city' : part) as AddressKey;
    if (!addressKeys.includes(key) || byKey[key]) continue;
    byKey[key] = part === 'cityCode' ? t('orders.address.cityNotFound') : describeField(t, fe);
  }
  return byKey;
}

/**
 * "Cancelar pedido" of an invoiced (or delivered) order, for managers and admins: asks the API whether the
 * sale's NF-e / NFC-e may still be cancelled, then confirms what will happen — the document cancelled at
 * SEFAZ and the order cancelled, or, once the window closed, the sale reversed by a return NF-e with the
 * amount credited to the customer (the order stays invoiced). That NF-e names the customer's address: for an
 * order without one (a pickup) the dialog asks for it.
 */
export function InvoicedOrderCancel(props: {
  order: Order;
  notify(feedback: Feedback | null): void;
  onOrderChanged(): void;
  expect?(orderId: string, status: OrderStatus): void;
}) {
  const { t } = useTranslation();
  const ids = useId();
  const { order } = props;
  const [plan, setPlan] = useState<CancellationWindow | null>(null);
  /** The API said so (`addressRequired`), or refused the reversal for want of it. */
  const [askAddress, setAskAddress] = useState(false);
  const [address, setAddress] = useState<AddressValues>(() => addressValuesOf(null));
  const [addressErrors, setAddressErrors] = useState<AddressErrors>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const start = async () => {
    let found: CancellationWindow;
    try {
      found = await api<CancellationWindow>('GET', `/api/v1/orders/${order.id}/invoice-cancellation`);
    } catch (err) {
      props.notify({ kind: 'error', text: describeErrorIn(t, err, 'finance') });
      return;
    }
    setAskAddress(found.addressRequired);
    setAddress(addressValuesOf(null));
    setAddressErrors({});
    setError(null);
    setPlan(found);
  };

  const focusFirst = (errors: AddressErrors) => {
    const first = addressKeys.find((key) => errors[key]);
    if (first) document.getElementById(`${ids}-${first}`)?.focus();
  };

  /** A field typed in again loses its error, and the dialog its "check the fields". */
  const edit = (next: AddressValues) => {
    setAddressErrors((errors) =>
      Object.fromEntries(
        Object.entries(errors).filter(([key]) => next[key as AddressKey] === address[key as AddressKey]),
      ),
    );
    setError(null);
    setAddress(next);
  };

  const confirm = async (reason: string) => {
    if (!plan || busy) return;
    const reverse = plan.action === 'reverse_sale';
    const withAddress = reverse && askAddress;
    if (withAddress) {
      const missing = missingAddressKeys(address);
      if (missing.length) {
        const errors = Object.fromEntries(missing.map((key) => [key, t('fields.VALIDATION.REQUIRED')]));
        setAddressErrors(errors);
        setError(t('orders.address.invalid'));
        focusFirst(errors);
        return;
      }
    }
    setBusy(true);
    setError(null);
    setAddressErrors({});
    const model = plan.model === 65 ? 'NFC-e' : 'NF-e';
    try {
      if (!reverse) props.expect?.(order.id, 'cancelled');
      const res = await api<CancellationAnswer>('POST', `/api/v1/orders/${order.id}/invoice-cancellation`, {
        reason,
        ...(withAddress ? { customerAddress: addressBody(address) } : {}),
      });
      setPlan(null);
      props.notify(
        res.outcome === 'reversed'
          ? {
              kind: 'success',
              text: t('finance.cancellation.reversed', { amount: formatMoney(res.return?.total ?? '0') }),
            }
          : res.outcome === 'cancelled'
            ? { kind: 'success', text: t('finance.cancellation.cancelled', { model }) }
            : { kind: 'info', text: t('finance.cancellation.pending', { model }) },
      );
      props.onOrderChanged();
    } catch (err) {
      if (err instanceof ApiError && (err.status === 409 || err.code === 'FISCAL.CANCELLATION_REJECTED')) {
        setPlan(null);
        props.notify({ kind: 'error', text: describeErrorIn(t, err, 'finance') });
        props.onOrderChanged();
        return;
      }
      if (err instanceof ApiError && err.code === 'RETURN.CUSTOMER_ADDRESS_REQUIRED') setAskAddress(true);
      const errors = addressErrorsOf(t, err);
      setAddressErrors(errors);
      setError(describeErrorIn(t, err, 'finance'));
      focusFirst(errors);
    } finally {
      setBusy(false);
    }
  };

  const model = plan?.model === 65 ? 'NFC-e' : 'NF-e';
  const reverse = plan?.action === 'reverse_sale';
  return (
    <>
      <button type="button" className="button small danger-outline" onClick={() => void start()}>
        {t('finance.cancellation.action')}
      </button>
      {plan && (
        <ConfirmDialog
          open
          title={t('finance.cancellation.title', { number: order.number })}
          message={
            reverse ? (
              <>
                <p>{t('finance.cancellation.reverseMessage', { model })}</p>
                <p className="hint">
                  {plan.open
                    ? t('finance.cancellation.goodsLeft')
                    : t('finance.cancellation.windowClosed', { model, at: formatDateTime(plan.closesAt) })}
                </p>
                {askAddress && (
                  <fieldset className="address-fieldset">
                    <legend>{t('finance.cancellation.addressTitle')}</legend>
                    <p className="hint">{t('finance.cancellation.addressWhy')}</p>
                    <div className="address-grid">
                      <AddressFields
                        ids={ids}
                        values={address}
                        errors={addressErrors}
                        limits={RETURN_ADDRESS_LIMITS}
                        onChange={edit}
                      />
                    </div>
                  </fieldset>
                )}
              </>
            ) : (
              <>
                <p>{t('finance.cancellation.cancelMessage', { model })}</p>
                <p className="hint">
                  {t('finance.cancellation.windowOpen', { model, at: formatDateTime(plan.closesAt) })}
                </p>
              </>
            )
          }
          confirmLabel={
            reverse ? t('finance.cancellation.confirmReverse') : t('finance.cancellation.confirmCancel')
          }
          danger
          reason={{
            label: reverse ? t('finance.cancellation.reverseReason') : t('finance.cancellation.reason'),
            required: true,
            minLength: REASON.min,
            maxLength: REASON.max,
          }}
          busy={busy}
          error={error}
          onConfirm={(reason) => void confirm(reason)}
          onCancel={() => setPlan(null)}
        />
      )}
    </>
  );
}
