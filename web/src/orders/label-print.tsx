import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { paths } from '../api/schema';
import { ApiError, openPdf, query } from '../api.ts';
import { describeErrorIn } from '../components/error-text.ts';
import { MenuButton, type MenuEntry } from '../components/menu-button.tsx';

export type LabelFormat = NonNullable<
  NonNullable<paths['/api/v1/labels.pdf']['get']['parameters']['query']>['format']
>;

/** The batch label endpoint prints at most this many orders at once. */
export const MAX_LABELS = 100;

export const labelPath = (ids: readonly string[], format: LabelFormat) =>
  ids.length === 1
    ? `/api/v1/orders/${ids[0]}/label.pdf${query({ format })}`
    : `/api/v1/labels.pdf${query({ ids: ids.join(','), format })}`;

/** A refused batch names each order that cannot print (409 FULFILMENT.LABELS_NOT_PRINTABLE). */
interface Refused {
  number: number;
  code: 'ORDER.NO_TRACKING_CODE' | 'ORDER.NOT_SHIP';
}

function refusalText(t: TFunction, err: unknown): string {
  if (err instanceof ApiError && err.code === 'FULFILMENT.LABELS_NOT_PRINTABLE') {
    const refused = ((err.problem as unknown as { orders?: Refused[] }).orders ?? []).map((o) =>
      t(`labels.reasons.${o.code}`, { number: o.number }),
    );
    return t('labels.notPrintable', { orders: refused.join('; ') });
  }
  return describeErrorIn(t, err, 'labels');
}

/**
 * Opens the labels in a new tab, as the DANFE opens: the tab at the click (a popup blocker sees the gesture)
 * with a waiting line until the PDF, fetched with the session, replaces it. Answers the refusal in words.
 */
export async function openLabels(
  t: TFunction,
  ids: readonly string[],
  format: LabelFormat,
): Promise<string | null> {
  if (ids.length > MAX_LABELS) return t('labels.tooMany', { max: MAX_LABELS });
  const tab = window.open('', '_blank');
  try {
    if (tab) tab.document.title = t('labels.opening');
    tab?.document.body.append(t('labels.opening'));
  } catch {
    // A tab of another origin cannot be written to; it stays blank until the PDF arrives.
  }
  try {
    await openPdf(labelPath(ids, format), tab);
    return null;
  } catch (err) {
    tab?.close();
    return refusalText(t, err);
  }
}

/**
 * "Imprimir etiquetas" for the queue's selection (seed 003 Etiqueta: "em lote, selecionando múltiplos
 * pedidos"): the ship orders among the selected, on 10×15 cm thermal labels or four to an A4 sheet.
 */
export function LabelPrintMenu({ orders }: { orders: readonly { id: string; deliveryType: string }[] }) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const ship = orders.filter((o) => o.deliveryType === 'ship').map((o) => o.id);
  const skipped = orders.length - ship.length;
  const print = async (format: LabelFormat) => setError(await openLabels(t, ship, format));
  const entries: MenuEntry[] =
    ship.length === 0
      ? [{ kind: 'note', key: 'none', text: t('labels.noShip') }]
      : [
          {
            kind: 'item',
            key: 'thermal',
            label: t('labels.thermal', { count: ship.length }),
            onSelect: () => void print('thermal'),
          },
          {
            kind: 'item',
            key: 'a4',
            label: t('labels.a4', { count: ship.length }),
            onSelect: () => void print('a4'),
          },
          ...(skipped > 0
            ? [
                { kind: 'separator', key: 'sep' } as const,
                {
                  kind: 'note',
                  key: 'skipped',
                  text: t('labels.pickupSkipped', { count: skipped }),
                } as const,
              ]
            : []),
        ];
  return (
    <>
      <MenuButton label={t('labels.print')} className="button" entries={entries}>
        {t('labels.print')} <span aria-hidden="true">▾</span>
      </MenuButton>
      {error && (
        <span className="hint error label-print-error" role="alert">
          {error}
        </span>
      )}
    </>
  );
}

/** "Etiqueta" on the order's screen: disabled, saying why, while the order has no tracking code. */
export function LabelButtons({
  order,
}: {
  order: { id: string; deliveryType: string; shipment?: { trackingCode: string | null } | null };
}) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  if (order.deliveryType !== 'ship') return null;
  const tracked = !!order.shipment?.trackingCode;
  const reason = tracked ? undefined : t('labels.noTracking');
  const print = async (format: LabelFormat) => setError(await openLabels(t, [order.id], format));
  return (
    <>
      <button
        type="button"
        className="button"
        disabled={!tracked}
        title={reason}
        aria-describedby={tracked ? undefined : `label-reason-${order.id}`}
        onClick={() => void print('thermal')}
      >
        {t('labels.label')}
      </button>
      {tracked && (
        <button type="button" className="button" onClick={() => void print('a4')}>
          {t('labels.labelA4')}
        </button>
      )}
      {!tracked && (
        <span className="hint" id={`label-reason-${order.id}`}>
          {reason}
        </span>
      )}
      {error && (
        <span className="hint error" role="alert">
          {error}
        </span>
      )}
    </>
  );
}
