import { useTranslation } from 'react-i18next';
import type { OrderStatus } from '../api/types.ts';
import { formatDateTime } from '../format.ts';

/**
 * Whether the store's POS has downloaded a pickup order ready at the counter (seeds 000 §3.4: "Pedido
 * Recebido" = confirmed by the store, not yet at the POS; "Confirmado Loja" = already downloaded). Shown only
 * while the order waits at the counter.
 */
export function PosDownloadBadge({
  order,
}: {
  order: { status: OrderStatus; deliveryType: string; posDownloadedAt: string | null };
}) {
  const { t } = useTranslation();
  if (order.status !== 'ready_for_pickup' || order.deliveryType !== 'pickup') return null;
  const at = order.posDownloadedAt;
  return (
    <span
      className={at ? 'pos-download downloaded' : 'pos-download'}
      title={
        at
          ? t('orders.posDownload.downloadedHint', { at: formatDateTime(at) })
          : t('orders.posDownload.receivedHint')
      }
    >
      {at ? t('orders.posDownload.downloaded') : t('orders.posDownload.received')}
    </span>
  );
}
