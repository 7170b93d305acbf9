import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Order } from '../api/types.ts';
import { api } from '../api.ts';
import { describeErrorIn } from '../components/error-text.ts';
import { Notice } from '../components/notice.tsx';
import { fieldErrorsByKey } from '../errors.ts';
import {
  AddressFields,
  type AddressKey,
  addressBody,
  addressKeys,
  addressValuesOf,
  missingAddressKeys,
} from './address-fields.tsx';

/**
 * Corrects a ship order's delivery address before it is invoiced (PEDFM236): the IBGE code is resolved by the
 * server from state + city, so the form asks for what a customer would say; the server's field errors land
 * beside their fields.
 */
export function AddressForm(props: { order: Order; onSaved(order: Order): void; onCancel(): void }) {
  const { t } = useTranslation();
  const ids = useId();
  const [values, setValues] = useState(() => addressValuesOf(props.order.customer.address));
  const [errors, setErrors] = useState<Partial<Record<AddressKey, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const missing = missingAddressKeys(values);
    setErrors(Object.fromEntries(missing.map((key) => [key, t('fields.VALIDATION.REQUIRED')])));
    if (missing.length) {
      setFormError(t('orders.address.invalid'));
      return;
    }
    setSaving(true);
    setFormError(null);
    try {
      props.onSaved(
        await api<Order>('PUT', `/api/v1/orders/${props.order.id}/delivery-address`, addressBody(values)),
      );
    } catch (err) {
      const byField = fieldErrorsByKey(t, err, addressKeys);
      setErrors(byField);
      setFormError(describeErrorIn(t, err, 'orders'));
      const first = Object.keys(byField)[0];
      if (first) document.getElementById(`${ids}-${first}`)?.focus();
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="address-form" aria-label={t('orders.address.title')} onSubmit={submit} noValidate>
      <p className="hint">{t('orders.address.intro')}</p>
      {formError && <Notice kind="error">{formError}</Notice>}
      <AddressFields ids={ids} values={values} errors={errors} onChange={setValues} />
      <p className="form-actions">
        <button type="submit" className="button primary" disabled={saving}>
          {saving ? t('orders.address.saving') : t('orders.address.save')}
        </button>{' '}
        <button type="button" className="button" onClick={props.onCancel} disabled={saving}>
          {t('actions.cancel')}
        </button>
      </p>
    </form>
  );
}
