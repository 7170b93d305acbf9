import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { FiscalDocumentStatus } from '../api/types.ts';

/** NF-e or NFC-e, by the model's code. */
export const modelName = (t: TFunction, model: number) =>
  t(`orders.fiscal.models.${model}`, { defaultValue: String(model) });

/** The document's situation with its colour (styles.css `.status.fiscal-*`). */
export function FiscalStatus({ status }: { status: FiscalDocumentStatus }) {
  const { t } = useTranslation();
  return <span className={`status fiscal-${status}`}>{t(`orders.fiscal.statuses.${status}`)}</span>;
}

/** What the document invoices, as printed in it ("Pedido 42 (EXT-1)") or by the kind of reference. */
export function referenceText(t: TFunction, reference: { type: string; label?: string | null }): string {
  if (reference.label) return reference.label;
  return t(`fiscal.documents.references.${reference.type}`, { defaultValue: reference.type });
}
