import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Address, Order } from '../api/types.ts';
import { api } from '../api.ts';
import { describeErrorIn } from '../components/error-text.ts';
import { fieldLayout } from '../components/form-fields.tsx';
import { Notice } from '../components/notice.tsx';
import { fieldErrorsByKey } from '../errors.ts';

type Key = 'street' | 'number' | 'complement' | 'district' | 'city' | 'state' | 'postalCode';
const keys: readonly Key[] = ['street', 'number', 'complement', 'district', 'city', 'state', 'postalCode'];

/**
 * Corrects a ship order's delivery address before it is invoiced (PEDFM236): the IBGE code is resolved by the
 * server from state + city, so the form asks for what a customer would say; the server's field errors land
 * beside their fields.
 */
export function AddressForm(props: { order: Order; onSaved(order: Order): void; onCancel(): void }) {
  const { t } = useTranslation();
  const ids = useId();
  const current = props.order.customer.address;
  const [values, setValues] = useState<Record<Key, string>>({
    street: current?.street ?? '',
    number: current?.number ?? '',
    complement: current?.complement ?? '',
    district: current?.district ?? '',
    city: current?.city ?? '',
    state: current?.state ?? '',
    postalCode: current?.postalCode ?? '',
  });
  const [errors, setErrors] = useState<Partial<Record<Key, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const { field, described } = fieldLayout(ids, errors);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local: Partial<Record<Key, string>> = {};
    for (const key of keys)
      if (key !== 'complement' && !values[key].trim()) local[key] = t('fields.VALIDATION.REQUIRED');
    setErrors(local);
    if (Object.keys(local).length) {
      setFormError(t('orders.address.invalid'));
      return;
    }
    setSaving(true);
    setFormError(null);
    const body: Address = {
      street: values.street.trim(),
      number: values.number.trim(),
      complement: values.complement.trim() || null,
      district: values.district.trim(),
      city: values.city.trim(),
      state: values.state.trim().toUpperCase(),
      postalCode: values.postalCode.trim(),
    };
    try {
      props.onSaved(await api<Order>('PUT', `/api/v1/orders/${props.order.id}/delivery-address`, body));
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

  const input = (key: Key, extra: { maxLength: number; autoComplete?: string }) => (
    <input
      id={`${ids}-${key}`}
      value={values[key]}
      maxLength={extra.maxLength}
      autoComplete={extra.autoComplete}
      aria-invalid={errors[key] ? true : undefined}
      aria-describedby={described(key)}
      onChange={(e) => setValues({ ...values, [key]: e.target.value })}
    />
  );

  return (
    <form className="address-form" aria-label={t('orders.address.title')} onSubmit={submit} noValidate>
      <p className="hint">{t('orders.address.intro')}</p>
      {formError && <Notice kind="error">{formError}</Notice>}
      {field(
        'street',
        t('orders.address.street'),
        input('street', { maxLength: 120, autoComplete: 'address-line1' }),
      )}
      {field('number', t('orders.address.number'), input('number', { maxLength: 20 }))}
      {field(
        'complement',
        t('orders.address.complement'),
        input('complement', { maxLength: 60, autoComplete: 'address-line2' }),
      )}
      {field('district', t('orders.address.district'), input('district', { maxLength: 60 }))}
      {field(
        'city',
        t('orders.address.city'),
        input('city', { maxLength: 60, autoComplete: 'address-level2' }),
      )}
      {field(
        'state',
        t('orders.address.state'),
        input('state', { maxLength: 2, autoComplete: 'address-level1' }),
      )}
      {field(
        'postalCode',
        t('orders.address.postalCode'),
        input('postalCode', { maxLength: 9, autoComplete: 'postal-code' }),
      )}
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
