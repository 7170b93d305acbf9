import { useMemo, useRef } from 'react';
import type { OrderStatus } from '../api/types.ts';

/**
 * The status changes a screen made itself. Their echoes on the live feed are not news, and they may arrive
 * late: after a second change of the same order (in transit, then delivered, both confirmed before the first
 * echo came), so every change is remembered, not only an order's last one.
 */
export function useOwnChanges() {
  const keys = useRef(new Set<string>());
  return useMemo(
    () => ({
      add(orderId: string, status: OrderStatus) {
        keys.current.add(`${orderId}:${status}`);
      },
      /** True once for the echo of a change made here. */
      isEcho(orderId: string, status: string): boolean {
        return keys.current.delete(`${orderId}:${status}`);
      },
    }),
    [],
  );
}
