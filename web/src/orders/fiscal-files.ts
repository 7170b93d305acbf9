import type { TFunction } from 'i18next';
import { api, downloadFile, type FieldError, openPdf } from '../api.ts';
import { describeField } from '../errors.ts';

export const danfePath = (documentId: string) => `/api/v1/fiscal-documents/${documentId}/danfe.pdf`;
export const xmlPath = (documentId: string) => `/api/v1/fiscal-documents/${documentId}/xml`;

/**
 * Opens the DANFE in a new tab. The tab opens at the click (a popup blocker sees the user's gesture) and
 * shows a waiting line until the PDF, fetched with the session, replaces it.
 */
export async function openDanfe(t: TFunction, documentId: string): Promise<void> {
  const tab = window.open('', '_blank');
  try {
    if (tab) tab.document.title = t('orders.fiscal.opening');
    tab?.document.body.append(t('orders.fiscal.opening'));
  } catch {
    // A tab of another origin cannot be written to; it stays blank until the PDF arrives.
  }
  try {
    await openPdf(danfePath(documentId), tab);
  } catch (err) {
    tab?.close();
    throw err;
  }
}

/**
 * TP_ENVIO_NFE_AUTOMATIC 2 and 3 open the DANFE by themselves once the order's NF-e is authorised; 0 and 1
 * leave it to the clerk. False when the parameter cannot be read (the link in the notice still opens it).
 */
export async function printsDanfeAutomatically(storeCode: string | undefined): Promise<boolean> {
  if (!storeCode) return false;
  try {
    const param = await api<{ value: unknown }>(
      'GET',
      `/api/v1/nodes/${encodeURIComponent(storeCode)}/parameters/TP_ENVIO_NFE_AUTOMATIC`,
    );
    return param.value === '2' || param.value === '3';
  } catch {
    return false;
  }
}

export const downloadXml = (documentId: string, accessKey: string) =>
  downloadFile(xmlPath(documentId), `${accessKey}-nfe.xml`);

/** An event's procEventoNFe (a correction letter, a cancellation), as SEFAZ registered it. */
export const downloadEventXml = (documentId: string, eventId: string, name: string) =>
  downloadFile(`/api/v1/fiscal-documents/${documentId}/events/${eventId}/xml`, name);

/**
 * The fields a FISCAL.DATA_INCOMPLETE or FISCAL.ORDER_MISMATCH names, in the clerk's words: the JSON
 * pointers of the document (`/recipient/address/cityCode`, `/items/0/sku`) mapped to what the screens call
 * them; an unknown pointer is shown as it is, so nothing is hidden.
 */
export function fiscalFieldLines(t: TFunction, errors: readonly FieldError[]): string[] {
  return errors.map((error) => {
    const { path } = error;
    const known = t(`orders.invoice.fields.${path}`, { defaultValue: '' });
    if (known) return known;
    const address = /^\/(recipient|emitter)\/address\/(\w+)$/.exec(path);
    if (address) {
      const part = t(`orders.invoice.addressParts.${address[2]}`, { defaultValue: address[2] ?? '' });
      return `${t(`orders.invoice.addressOf.${address[1] as 'recipient' | 'emitter'}`)}: ${part}`;
    }
    const item = /^\/items\/(\d+)\/(\w+)$/.exec(path);
    if (item) {
      const line = Number(item[1]) + 1;
      if (item[2] === 'sku')
        return t('orders.invoice.itemSku', { line, detail: String(error.params?.sku ?? '') });
      return t('orders.invoice.itemField', { line, field: item[2] });
    }
    const payment = /^\/payments\/(\d+)\/method$/.exec(path);
    if (payment) return t('orders.invoice.paymentMethod', { line: Number(payment[1]) + 1 });
    return `${path}: ${describeField(t, error)}`;
  });
}

/** SEFAZ's xMotivo starts with "Rejeição:" itself; the screens put the code before it. */
export const rejectionReason = (reason: string) => reason.replace(/^\s*Rejei[çc][ãa]o\s*:\s*/i, '');
