import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { describeErrorIn } from '../components/error-text.ts';
import { fieldLayout } from '../components/form-fields.tsx';
import { Notice } from '../components/notice.tsx';
import { formatMoney } from '../format.ts';

const methods = ['pix', 'cash', 'card_reversal', 'store_credit'] as const;
type Method = (typeof methods)[number];

/** "129,90", "129.90", "1.299,90" → "129.90"; null when it is not an amount with at most two decimals. */
export function parseAmount(text: string): string | null {
  const trimmed = text.trim().replace(/^R\$\s*/, '');
  const normalised = trimmed.includes(',') ? trimmed.replace(/\./g, '').replace(',', '.') : trimmed;
  if (!/^\d{1,12}(\.\d{1,2})?$/.test(normalised)) return null;
  const [units, cents = ''] = normalised.split('.');
  return `${Number(units)}.${cents.padEnd(2, '0')}`;
}

const toCents = (amount: string) => {
  const [units, cents] = amount.split('.');
  return BigInt(units!) * 100n + BigInt(cents ?? '0');
};

/**
 * "Registrar reembolso": pays the customer's credit back (card charge-back, pix, cash, voucher). The amount
 * defaults to the whole credit; a confirmation names the amount and the method before anything is written,
 * and the request carries its own Idempotency-Key (api.ts), so a retried click refunds once.
 */
export function RefundForm(props: { orderId: string; credit: string; onDone(): void }) {
  const { t } = useTranslation();
  const ids = useId();
  const [method, setMethod] = useState<Method>('pix');
  const [amountText, setAmountText] = useState(props.credit.replace('.', ','));
  const [note, setNote] = useState('');
  const [amountError, setAmountError] = useState<string | undefined>();
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const { field, described } = fieldLayout<'method' | 'amount' | 'note'>(ids, { amount: amountError });

  const review = (event: FormEvent) => {
    event.preventDefault();
    setDone(null);
    setError(null);
    const amount = parseAmount(amountText);
    if (!amount || toCents(amount) <= 0n || toCents(amount) > toCents(props.credit)) {
      setAmountError(t('finance.refund.invalidAmount'));
      return;
    }
    setAmountError(undefined);
    setConfirming(amount);
  };

  const submit = async () => {
    if (!confirming || busy) return;
    setBusy(true);
    setError(null);
    try {
      await api('POST', `/api/v1/orders/${props.orderId}/refunds`, {
        method,
        amount: confirming,
        note: note.trim() || null,
      });
      setDone(t('finance.refund.done', { amount: formatMoney(confirming) }));
      setConfirming(null);
      setNote('');
      props.onDone();
    } catch (err) {
      setError(describeErrorIn(t, err, 'finance'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="refund-form" aria-labelledby={`${ids}-title`}>
      <h3 id={`${ids}-title`}>{t('finance.refund.title')}</h3>
      <p className="hint">{t('finance.refund.credit', { amount: formatMoney(props.credit) })}</p>
      {done && <Notice kind="success">{done}</Notice>}
      {error && <Notice kind="error">{error}</Notice>}
      {confirming ? (
        <fieldset className="refund-confirm" aria-labelledby={`${ids}-confirm`}>
          <p id={`${ids}-confirm`}>
            <strong>{t('finance.refund.confirmTitle')}</strong>{' '}
            {t('finance.refund.confirmMessage', {
              amount: formatMoney(confirming),
              method: t(`finance.refund.methods.${method}`),
            })}
          </p>
          <div className="actions">
            <button type="button" className="button primary" disabled={busy} onClick={() => void submit()}>
              {t('finance.refund.confirm')}
            </button>
            <button type="button" className="button" disabled={busy} onClick={() => setConfirming(null)}>
              {t('finance.refund.back')}
            </button>
          </div>
        </fieldset>
      ) : (
        <form onSubmit={review} noValidate>
          {field(
            'method',
            t('finance.refund.method'),
            <select id={`${ids}-method`} value={method} onChange={(e) => setMethod(e.target.value as Method)}>
              {methods.map((m) => (
                <option key={m} value={m}>
                  {t(`finance.refund.methods.${m}`)}
                </option>
              ))}
            </select>,
          )}
          {field(
            'amount',
            t('finance.refund.amount'),
            <input
              id={`${ids}-amount`}
              inputMode="decimal"
              value={amountText}
              aria-invalid={amountError ? true : undefined}
              aria-describedby={described('amount', true)}
              onChange={(e) => setAmountText(e.target.value)}
            />,
            t('finance.refund.amountHint', { max: formatMoney(props.credit) }),
          )}
          {field(
            'note',
            t('finance.refund.note'),
            <input
              id={`${ids}-note`}
              maxLength={255}
              value={note}
              onChange={(e) => setNote(e.target.value)}
            />,
          )}
          <div className="actions">
            <button type="submit" className="button primary">
              {t('finance.refund.submit')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
