import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Salespeople } from '../api/types.ts';
import { api } from '../api.ts';

/** The salesperson chosen in an invoicing dialog; read when the dialog is confirmed. */
export interface SalespersonDraft {
  salespersonId: string;
}

/**
 * "Vendedor" in the invoicing dialog, when the store's TP_DADO_ADIC_BX_PED_ECOMM asks for it (1 optional, 2
 * required): a select of the store's users. Nothing is shown where the store does not ask.
 */
export function SalespersonField({
  orderId,
  draft,
  batch,
}: {
  orderId: string;
  draft: SalespersonDraft;
  batch?: boolean;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [choice, setChoice] = useState<Salespeople | null>(null);
  const [value, setValue] = useState('');

  useEffect(() => {
    let live = true;
    api<Salespeople>('GET', `/api/v1/orders/${orderId}/salespeople`)
      .then((c) => live && setChoice(c))
      .catch(() => live && setChoice({ mode: 'none', items: [] }));
    return () => {
      live = false;
    };
  }, [orderId]);

  if (!choice) return <p className="hint">{t('orders.salesperson.loading')}</p>;
  if (choice.mode === 'none') return null;
  const required = choice.mode === 'required';
  return (
    <div className="field">
      <label htmlFor={id}>
        {t(required ? 'orders.salesperson.required' : 'orders.salesperson.optional')}
      </label>
      <select
        id={id}
        name="salesperson"
        required={required}
        value={value}
        onChange={(e) => {
          setValue(e.target.value);
          draft.salespersonId = e.target.value;
        }}
      >
        <option value="">{required ? t('orders.salesperson.choose') : t('orders.salesperson.none')}</option>
        {choice.items.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
      {batch && <span className="hint">{t('orders.salesperson.batchNote')}</span>}
    </div>
  );
}
