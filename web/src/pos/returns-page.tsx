import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { describeErrorIn } from '../components/error-text.ts';
import { Notice } from '../components/notice.tsx';
import { formatMoney } from '../format.ts';
import { remainingLines, returnLines } from './counter.ts';
import { OrderSearch } from './order-search.tsx';
import { posApi, printPdf } from './pos-api.ts';
import type { CounterView, OrderReturn, PosOrder, ReturnDone, ReturnReason } from './pos-types.ts';

const addressFields = ['street', 'number', 'complement', 'district', 'city', 'state', 'postalCode'] as const;
type AddressInput = Record<(typeof addressFields)[number], string>;
const emptyAddress: AddressInput = {
  street: '',
  number: '',
  complement: '',
  district: '',
  city: '',
  state: '',
  postalCode: '',
};

/** The address as the return takes it: trimmed, no empty complement, the IBGE code left to the server. */
function addressBody(a: AddressInput) {
  return {
    street: a.street.trim(),
    number: a.number.trim(),
    ...(a.complement.trim() ? { complement: a.complement.trim() } : {}),
    district: a.district.trim(),
    city: a.city.trim(),
    state: a.state.trim().toUpperCase(),
    postalCode: a.postalCode.replace(/\D/g, ''),
  };
}

const returnable = new Set(['invoiced', 'delivered', 'in_transit']);

/**
 * "Devolução" of an omni sale (seed 000 §3.5.2): the order by number, the units going back (never more
 * than sold), one of the omni return reasons (none registered: said so), confirm, then the return's
 * document to print.
 */
export function PosReturnsPage() {
  const { t } = useTranslation();
  const [order, setOrder] = useState<PosOrder | null>(null);
  /** Units of each SKU already given back by earlier returns of the order. */
  const [returned, setReturned] = useState<Record<string, number>>({});
  const [reasons, setReasons] = useState<ReturnReason[] | null>(null);
  const [reasonsError, setReasonsError] = useState<string | null>(null);
  const [quantities, setQuantities] = useState<Record<string, number>>({});
  const [reasonCode, setReasonCode] = useState('');
  /** Asked only when the order has no address (a pickup): the return NF-e names the customer's. */
  const [address, setAddress] = useState<AddressInput>(emptyAddress);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<ReturnDone | null>(null);

  useEffect(() => {
    posApi<{ items: ReturnReason[] }>('GET', '/api/v1/return-reasons')
      .then((answer) => setReasons(answer.items))
      .catch((failure: unknown) => setReasonsError(describeErrorIn(t, failure, 'pos')));
  }, [t]);

  const remaining = remainingLines(order?.items ?? [], returned);
  const lines = order ? returnLines(remaining, quantities) : [];
  const units = lines.reduce((sum, line) => sum + line.quantity, 0);

  const start = async (found: CounterView) => {
    setReturned({});
    try {
      const earlier = await posApi<{ items: OrderReturn[] }>(
        'GET',
        `/api/v1/orders/${found.order.id}/returns`,
      );
      const back: Record<string, number> = {};
      for (const r of earlier.items) for (const i of r.items) back[i.sku] = (back[i.sku] ?? 0) + i.quantity;
      setReturned(back);
    } catch {
      // Without the earlier returns the server still refuses more than remains (409, shown).
    }
    setOrder(found.order);
    setQuantities({});
    setReasonCode('');
    setAddress(emptyAddress);
    setError(null);
    setDone(null);
  };

  const needsAddress = order !== null && !order.customer.address;
  const noReasons = reasons !== null && reasons.length === 0;
  const ask = () => {
    if (units === 0) setError(t('pos.returns.nothingChosen'));
    else if (!reasonCode && !noReasons) setError(t('pos.returns.reasonRequired'));
    else if (needsAddress && addressFields.some((f) => f !== 'complement' && !address[f].trim()))
      setError(t('pos.returns.address.required'));
    else {
      setError(null);
      setConfirming(true);
    }
  };

  const submit = async () => {
    if (!order) return;
    setBusy(true);
    try {
      const answer = await posApi<ReturnDone>('POST', '/api/v1/pos/returns', {
        orderNumber: order.number,
        items: lines,
        ...(reasonCode ? { reasonCode } : {}),
        ...(needsAddress ? { customerAddress: addressBody(address) } : {}),
      });
      setConfirming(false);
      setDone(answer);
    } catch (failure) {
      setConfirming(false);
      setError(describeErrorIn(t, failure, 'pos'));
    } finally {
      setBusy(false);
    }
  };

  const printDocument = async (id: string) => {
    const target = window.open('', '_blank');
    try {
      await printPdf(`/api/v1/fiscal-documents/${id}/danfe.pdf`, target);
    } catch (failure) {
      setError(describeErrorIn(t, failure, 'pos'));
    }
  };

  const soldBySku = new Map<string, number>();
  for (const item of remaining) soldBySku.set(item.sku, (soldBySku.get(item.sku) ?? 0) + item.quantity);

  return (
    <section className="pos-page" aria-labelledby="pos-returns-title">
      <h1 id="pos-returns-title">{t('pos.returns.title')}</h1>
      {done && order ? (
        <div className="card pos-result">
          <Notice kind="success">{t('pos.returns.done')}</Notice>
          {done.fiscalDocument && (
            <p className="pos-access-key">
              {t('pos.returns.document')}:{' '}
              <span className="mono">{done.fiscalDocument.accessKey.replace(/(\d{4})(?=\d)/g, '$1 ')}</span>
            </p>
          )}
          <div className="pos-actions">
            {done.fiscalDocument && (
              <button
                type="button"
                className="button pos-big"
                onClick={() => void printDocument(done.fiscalDocument!.id)}
              >
                {t('pos.returns.print')}
              </button>
            )}
            <button
              type="button"
              className="button primary pos-big"
              onClick={() => {
                setOrder(null);
                setDone(null);
              }}
            >
              {t('pos.returns.another')}
            </button>
          </div>
          {error && <Notice kind="error">{error}</Notice>}
        </div>
      ) : (
        <>
          <OrderSearch
            id="pos-return-number"
            label={t('pos.returns.search')}
            hint={t('pos.returns.searchHint')}
            submitLabel={t('pos.returns.find')}
            notFound={(number) => t('pos.returns.notFound', { number })}
            onFound={(found) => void start(found)}
          />
          {reasonsError && <Notice kind="error">{reasonsError}</Notice>}
          {order && !returnable.has(order.status) && <Notice kind="info">{t('pos.returns.notSold')}</Notice>}
          {order && returnable.has(order.status) && (
            <div className="card">
              <h2>
                {t('pos.order.title', { number: order.number })} — {order.customer.name}
              </h2>
              <h3>{t('pos.returns.items')}</h3>
              <ul className="pos-return-lines">
                {[...soldBySku].map(([sku, sold]) => {
                  const item = order.items.find((i) => i.sku === sku)!;
                  const chosen = Math.min(quantities[sku] ?? 0, sold);
                  const set = (n: number) =>
                    setQuantities((q) => ({ ...q, [sku]: Math.max(0, Math.min(sold, Math.trunc(n) || 0)) }));
                  return (
                    <li key={sku} className="pos-return-line">
                      <div>
                        <strong>{item.description}</strong>
                        <span className="hint mono"> {sku}</span>
                        <div className="hint">
                          {t('pos.returns.sold', { count: sold })} · {formatMoney(item.unitPrice)}
                        </div>
                      </div>
                      <div className="pos-stepper">
                        <button
                          type="button"
                          className="button pos-big"
                          aria-label={t('pos.returns.less', { description: item.description })}
                          disabled={chosen <= 0}
                          onClick={() => set(chosen - 1)}
                        >
                          −
                        </button>
                        <input
                          className="pos-input mono"
                          inputMode="numeric"
                          aria-label={t('pos.returns.quantityOf', { description: item.description })}
                          value={String(chosen)}
                          onChange={(e) => set(Number(e.target.value.replace(/\D/g, '')))}
                        />
                        <button
                          type="button"
                          className="button pos-big"
                          aria-label={t('pos.returns.more', { description: item.description })}
                          disabled={chosen >= sold}
                          onClick={() => set(chosen + 1)}
                        >
                          +
                        </button>
                      </div>
                    </li>
                  );
                })}
              </ul>
              {needsAddress && (
                <fieldset className="pos-address">
                  <legend>{t('pos.returns.address.title')}</legend>
                  <p className="hint">{t('pos.returns.address.why')}</p>
                  <div className="pos-address-grid">
                    {addressFields.map((field) => (
                      <label key={field} className={`field pos-address-${field}`}>
                        <span>{t(`pos.returns.address.${field}`)}</span>
                        <input
                          className="pos-input"
                          value={address[field]}
                          maxLength={field === 'state' ? 2 : field === 'postalCode' ? 9 : 60}
                          autoComplete="off"
                          onChange={(e) => {
                            const value = field === 'state' ? e.target.value.toUpperCase() : e.target.value;
                            setAddress((now) => ({ ...now, [field]: value }));
                            setError(null);
                          }}
                        />
                      </label>
                    ))}
                  </div>
                </fieldset>
              )}
              {noReasons ? (
                <Notice kind="info">{t('pos.returns.noReasons')}</Notice>
              ) : (
                <label className="field">
                  <span>{t('pos.returns.reason')}</span>
                  <select
                    className="pos-input"
                    value={reasonCode}
                    onChange={(e) => {
                      setReasonCode(e.target.value);
                      setError(null);
                    }}
                  >
                    <option value="">{t('pos.returns.chooseReason')}</option>
                    {(reasons ?? []).map((r) => (
                      <option key={r.code} value={r.code}>
                        {r.description}
                      </option>
                    ))}
                  </select>
                </label>
              )}
              {error && <Notice kind="error">{error}</Notice>}
              <button type="button" className="button primary pos-big pos-cta" disabled={busy} onClick={ask}>
                {t('pos.returns.submit')}
              </button>
            </div>
          )}
          <ConfirmDialog
            open={confirming}
            title={t('pos.returns.confirmTitle', { number: order?.number ?? '' })}
            message={t('pos.returns.confirmMessage', { count: units })}
            confirmLabel={t('pos.returns.confirm')}
            busy={busy}
            onConfirm={() => void submit()}
            onCancel={() => setConfirming(false)}
          />
        </>
      )}
    </section>
  );
}
