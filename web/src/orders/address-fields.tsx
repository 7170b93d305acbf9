import { useTranslation } from 'react-i18next';
import type { Address } from '../api/types.ts';
import { fieldLayout } from '../components/form-fields.tsx';

export type AddressKey = 'street' | 'number' | 'complement' | 'district' | 'city' | 'state' | 'postalCode';
export const addressKeys: readonly AddressKey[] = [
  'street',
  'number',
  'complement',
  'district',
  'city',
  'state',
  'postalCode',
];
export type AddressValues = Record<AddressKey, string>;

export const addressValuesOf = (a?: Address | null): AddressValues => ({
  street: a?.street ?? '',
  number: a?.number ?? '',
  complement: a?.complement ?? '',
  district: a?.district ?? '',
  city: a?.city ?? '',
  state: a?.state ?? '',
  postalCode: a?.postalCode ?? '',
});

/** The fields an NF-e needs (all but the complement) left empty, to flag before sending. */
export const missingAddressKeys = (values: AddressValues): AddressKey[] =>
  addressKeys.filter((key) => key !== 'complement' && !values[key].trim());

/** The address as the API takes it: trimmed, an empty complement null, the UF in capitals; the IBGE code left to the server. */
export const addressBody = (values: AddressValues) => ({
  street: values.street.trim(),
  number: values.number.trim(),
  complement: values.complement.trim() || null,
  district: values.district.trim(),
  city: values.city.trim(),
  state: values.state.trim().toUpperCase(),
  postalCode: values.postalCode.trim(),
});

const defaultLimits: Record<AddressKey, number> = {
  street: 120,
  number: 20,
  complement: 60,
  district: 60,
  city: 60,
  state: 2,
  postalCode: 9,
};
const autoComplete: Partial<Record<AddressKey, string>> = {
  street: 'address-line1',
  complement: 'address-line2',
  city: 'address-level2',
  state: 'address-level1',
  postalCode: 'postal-code',
};

/**
 * A Brazilian address's inputs (logradouro … CEP) in the house field layout, with each field's error beside
 * it. Input ids are `${ids}-${key}`, so the form can focus the first field in error. `limits` narrows the
 * lengths where the API takes less (an NF-e's xLgr has 60 characters).
 */
export function AddressFields(props: {
  ids: string;
  values: AddressValues;
  errors: Partial<Record<AddressKey, string>>;
  onChange(values: AddressValues): void;
  limits?: Partial<Record<AddressKey, number>>;
}) {
  const { t } = useTranslation();
  const { field, described } = fieldLayout(props.ids, props.errors);
  const limits = { ...defaultLimits, ...props.limits };
  return (
    <>
      {addressKeys.map((key) => (
        <div key={key} className={`address-field address-${key}`}>
          {field(
            key,
            t(`orders.address.${key}`),
            <input
              id={`${props.ids}-${key}`}
              value={props.values[key]}
              maxLength={limits[key]}
              autoComplete={autoComplete[key]}
              aria-invalid={props.errors[key] ? true : undefined}
              aria-describedby={described(key)}
              onChange={(e) => props.onChange({ ...props.values, [key]: e.target.value })}
            />,
          )}
        </div>
      ))}
    </>
  );
}
