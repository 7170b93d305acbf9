import { useTranslation } from 'react-i18next';
import type { OrderStatus } from '../api/types.ts';

/** The status with its colour (the queue's "status com uma cor"); colours live in styles.css. */
export function StatusBadge({ status }: { status: OrderStatus }) {
  const { t } = useTranslation();
  return <span className={`status status-${status}`}>{t(`statuses.${status}`)}</span>;
}
