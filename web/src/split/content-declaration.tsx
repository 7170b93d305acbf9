import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StockRequest } from '../api/types.ts';
import { openPdf } from '../api.ts';
import { describeErrorIn } from '../components/error-text.ts';

/** The goods leave the sending company once it accepted the request (split: SENDING). */
const sending: readonly StockRequest['status'][] = ['accepted', 'invoicing', 'in_transit', 'received'];

export const hasContentDeclaration = (r: StockRequest) => sending.includes(r.status);

/**
 * "Declaração de conteúdo": the Correios model for the goods of a stock request sent by post, opened in a
 * new tab for the sending company to print and sign.
 */
export function ContentDeclarationButton({ request: r }: { request: StockRequest }) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const open = async () => {
    const tab = window.open('', '_blank');
    try {
      await openPdf(`/api/v1/stock-requests/${r.id}/content-declaration.pdf`, tab);
      setError(null);
    } catch (err) {
      tab?.close();
      setError(describeErrorIn(t, err, 'labels'));
    }
  };
  return (
    <>
      <button
        type="button"
        className="button small"
        aria-label={t('labels.declarationOf', { number: r.orderNumber ?? '', store: r.storeCode })}
        onClick={() => void open()}
      >
        {t('labels.declaration')}
      </button>
      {error && (
        <span className="hint error" role="alert">
          {error}
        </span>
      )}
    </>
  );
}
