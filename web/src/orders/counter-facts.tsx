import { useTranslation } from 'react-i18next';
import type { Order } from '../api/types.ts';
import { formatDateTime, formatDocument } from '../format.ts';

/** The counter's facts of an order on its screen: who collected it (handover) and its endless-aisle sale. */
export function CounterFacts({ order }: { order: Order }) {
  const { t } = useTranslation();
  const { pickup, endlessAisle } = order;
  const facts: [string, string][] = [];
  if (endlessAisle) {
    facts.push([t('counter.endlessAisle.seller'), endlessAisle.sellingStoreCode]);
    if (endlessAisle.representative)
      facts.push([t('counter.endlessAisle.representative'), endlessAisle.representative]);
    if (endlessAisle.printModel) facts.push([t('counter.endlessAisle.printModel'), endlessAisle.printModel]);
    facts.push([
      t('counter.endlessAisle.blocked'),
      t(endlessAisle.blocked ? 'counter.endlessAisle.blockedYes' : 'counter.endlessAisle.blockedNo', {
        reason: endlessAisle.blockReason,
      }),
    ]);
  }
  if (pickup) {
    facts.push([t('counter.pickup.by'), pickup.name]);
    if (pickup.document)
      facts.push([
        t('counter.pickup.document'),
        pickup.documentKind === 'other' ? pickup.document : formatDocument(pickup.document),
      ]);
    facts.push([t('counter.pickup.at'), formatDateTime(pickup.at)]);
    facts.push([t('counter.pickup.handedBy'), pickup.handedBy.name]);
  }
  return facts.map(([label, value]) => (
    <div key={label}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  ));
}
