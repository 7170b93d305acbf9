import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { ApiError } from '../api.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { describeErrorIn } from '../components/error-text.ts';
import { Notice } from '../components/notice.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { fieldErrors } from '../errors.ts';
import { formatDocument, formatMoney } from '../format.ts';
import { checkCpf, cpfDigits, inContingency, maskCpf, orderNumberOf } from './counter.ts';
import { lookUpOrder } from './order-search.tsx';
import { posApi, posRequest, printPdf } from './pos-api.ts';
import { usePos } from './pos-shell.tsx';
import type { CounterView, Finished, FiscalDocumentRef, PosOrder } from './pos-types.ts';

/** How long the counter waits for SEFAZ after a 202 before leaving the NFC-e "sending". */
const SEFAZ_POLL_MS = 2000;
const SEFAZ_POLL_TIMES = 30;

/**
 * One order at the counter, the seeds' "Resgate do Pedido": Resgatar → "deseja informar o CPF?" →
 * Finalizar (NFC-e) → Imprimir cupom → Entregar (who picks it up) → Comprovante de entrega → done.
 * "Devolver ao balcão" gives a rescued order back. The step shown follows the actions the server allows
 * now, so a reload (or another register) lands on the right one.
 */
export function PosOrderPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const params = useParams();
  const number = orderNumberOf(params.number ?? '') ?? 0;
  const { refresh, setSefazDown } = usePos();
  const given = (location.state as { found?: CounterView } | null)?.found;
  const [view, setView] = useState<CounterView | null>(given?.order.number === number ? given : null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const [busy, setBusy] = useState<null | 'rescue' | 'finish' | 'print' | 'receipt'>(null);
  const [releasing, setReleasing] = useState(false);
  const [releaseBusy, setReleaseBusy] = useState(false);
  const [releaseError, setReleaseError] = useState<string | null>(null);
  const [handingOver, setHandingOver] = useState(false);
  const [cpf, setCpf] = useState('');
  const [cpfError, setCpfError] = useState<string | null>(null);
  const cpfInput = useRef<HTMLInputElement>(null);

  const reload = useCallback(async () => {
    try {
      setView(await lookUpOrder(number));
      setLoadError(null);
    } catch (failure) {
      setLoadError(
        failure instanceof ApiError && failure.status === 404
          ? t('pos.pending.notFound', { number })
          : describeErrorIn(t, failure, 'pos'),
      );
    }
  }, [number, t]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const order = view?.order ?? null;
  const actions = view?.actions ?? [];
  const document = view?.fiscalDocument ?? null;
  // A rejected NFC-e is finished again (its number stays free); one with SEFAZ or issued is waited for.
  const askCpf = actions.includes('finish') && (!document || document.status === 'rejected');
  useEffect(() => {
    if (askCpf) cpfInput.current?.focus();
  }, [askCpf]);

  /** A refused step: said in Portuguese, and the order re-read (it may have moved on at another register). */
  const failed = async (failure: unknown) => {
    const cpfRefused = fieldErrors(t, failure)['/customerDocument'];
    if (cpfRefused) {
      setCpfError(t('pos.order.cpf.invalid'));
      return;
    }
    setError(describeErrorIn(t, failure, 'pos'));
    if (failure instanceof ApiError && failure.status === 409) await reload();
  };

  const rescue = async () => {
    if (!order) return;
    setBusy('rescue');
    setError(null);
    setInfo(null);
    try {
      setView(await posApi<CounterView>('POST', `/api/v1/pos/orders/${order.number}/rescue`));
      setInfo(t('pos.order.rescued'));
      void refresh();
    } catch (failure) {
      await failed(failure);
    } finally {
      setBusy(null);
    }
  };

  const finish = async (withCpf: boolean) => {
    if (!order) return;
    if (withCpf) {
      const check = checkCpf(cpf);
      if (check === 'incomplete' || check === 'invalid') {
        setCpfError(t(`pos.order.cpf.${check}`));
        cpfInput.current?.focus();
        return;
      }
    }
    const digits = withCpf ? cpfDigits(cpf) : '';
    setBusy('finish');
    setError(null);
    setInfo(null);
    try {
      const res = await posRequest('POST', `/api/v1/pos/orders/${order.number}/finish`, {
        body: digits ? { customerDocument: digits } : {},
      });
      const answer = (await res.json()) as Finished;
      setView(answer);
      setSefazDown(inContingency(answer.fiscalDocument));
      if (answer.fiscalDocument.status === 'sending') await waitForSefaz();
      void refresh();
    } catch (failure) {
      await failed(failure);
    } finally {
      setBusy(null);
    }
  };

  /** SEFAZ took longer than the request (202): the order is re-read until its NFC-e has an answer. */
  const waitForSefaz = async () => {
    for (let i = 0; i < SEFAZ_POLL_TIMES; i++) {
      await new Promise((resolve) => setTimeout(resolve, SEFAZ_POLL_MS));
      try {
        const now = await lookUpOrder(number);
        if (now.fiscalDocument && now.fiscalDocument.status !== 'sending') {
          setView(now);
          setSefazDown(inContingency(now.fiscalDocument));
          return;
        }
      } catch {
        // Not readable yet or offline: keep the "sending" state and try again.
      }
    }
  };

  const print = async (path: string, which: 'print' | 'receipt') => {
    // Opened within the tap, so the browser does not block it; filled when the PDF arrives.
    const target = window.open('', '_blank');
    setBusy(which);
    setError(null);
    try {
      await printPdf(path, target);
    } catch (failure) {
      setError(describeErrorIn(t, failure, 'pos'));
    } finally {
      setBusy(null);
    }
  };

  const release = async (reason: string) => {
    if (!order) return;
    setReleaseBusy(true);
    setReleaseError(null);
    try {
      await posApi('POST', `/api/v1/pos/orders/${order.number}/release`, { reason });
      setReleasing(false);
      void refresh();
      navigate('/pos', { state: { flash: t('pos.order.released', { number: order.number }) } });
    } catch (failure) {
      setReleaseError(describeErrorIn(t, failure, 'pos'));
      if (failure instanceof ApiError && failure.status === 409) await reload();
    } finally {
      setReleaseBusy(false);
    }
  };

  if (!order || !view) {
    return (
      <section className="pos-page">
        {loadError ? (
          <Notice kind="error">{loadError}</Notice>
        ) : (
          <p className="loading">{t('pos.shell.loading')}</p>
        )}
        <Link to="/pos" className="button pos-big">
          {t('pos.order.back')}
        </Link>
      </section>
    );
  }

  const customerCpf =
    checkCpf(order.customer.document) === 'valid' ? cpfDigits(order.customer.document) : null;
  return (
    <section className="pos-page pos-order" aria-labelledby="pos-order-title">
      <div className="pos-order-head">
        <Link to="/pos" className="button pos-big">
          {t('pos.order.back')}
        </Link>
        <h1 id="pos-order-title">{t('pos.order.title', { number: order.number })}</h1>
        <StatusBadge status={order.status} />
      </div>
      {info && <Notice kind="info">{info}</Notice>}
      {error && <Notice kind="error">{error}</Notice>}

      <div className="pos-order-grid">
        <div className="card">
          <h2>{t('pos.order.customer')}</h2>
          <p className="pos-customer-name">{order.customer.name}</p>
          <p>
            {t('pos.order.document')}: <span className="mono">{formatDocument(order.customer.document)}</span>
          </p>
          {order.customer.phone && (
            <p>
              {t('pos.order.phone')}: {order.customer.phone}
            </p>
          )}
          <p className="hint">{t(`pos.order.delivery.${order.deliveryType}`)}</p>
          <h2>{t('pos.order.payments')}</h2>
          <ul className="pos-payments">
            {order.payments.map((p) => (
              <li key={`${p.method}-${p.amount}`}>
                {t(`pos.order.paymentMethods.${p.method}`)} — {formatMoney(p.amount)}
                {p.installments && p.installments > 1 ? ` (${p.installments}x)` : ''}
              </li>
            ))}
          </ul>
        </div>
        <div className="card">
          <h2>{t('pos.order.items')}</h2>
          <table className="pos-items">
            <thead>
              <tr>
                <th scope="col">{t('pos.order.description')}</th>
                <th scope="col" className="num">
                  {t('pos.order.quantity')}
                </th>
                <th scope="col" className="num">
                  {t('pos.order.lineTotal')}
                </th>
              </tr>
            </thead>
            <tbody>
              {order.items.map((item) => (
                <tr key={item.line}>
                  <td>
                    {item.description}
                    <span className="hint mono"> {item.sku}</span>
                  </td>
                  <td className="num">{item.quantity}</td>
                  <td className="num">{formatMoney(item.total)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={2}>
                  {t('pos.order.total')}
                </th>
                <td className="num pos-total">{formatMoney(order.total)}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      </div>

      <div className="pos-step">
        {order.deliveryType !== 'pickup' ? (
          <Notice kind="info">{t('pos.order.notPickup')}</Notice>
        ) : actions.includes('rescue') ? (
          <button
            type="button"
            className="button primary pos-big pos-cta"
            onClick={() => void rescue()}
            disabled={busy !== null}
          >
            {busy === 'rescue' ? t('pos.order.rescuing') : t('pos.order.rescue')}
          </button>
        ) : askCpf ? (
          <form
            className="card pos-cpf"
            noValidate
            onSubmit={(e: FormEvent) => {
              e.preventDefault();
              void finish(cpfDigits(cpf).length > 0);
            }}
          >
            <h2 id="pos-cpf-title">{t('pos.order.cpf.title')}</h2>
            <div className="field">
              <label htmlFor="pos-cpf">
                <span>{t('pos.order.cpf.label')}</span>
              </label>
              <input
                id="pos-cpf"
                ref={cpfInput}
                className="pos-input mono"
                inputMode="numeric"
                autoComplete="off"
                placeholder="000.000.000-00"
                value={cpf}
                aria-invalid={cpfError ? true : undefined}
                aria-describedby={`pos-cpf-hint${cpfError ? ' pos-cpf-error' : ''}`}
                onChange={(e) => {
                  setCpf(maskCpf(e.target.value));
                  setCpfError(null);
                }}
              />
              <span id="pos-cpf-hint" className="hint">
                {t('pos.order.cpf.hint')}
              </span>
              {cpfError && (
                <span id="pos-cpf-error" className="field-error" role="alert">
                  {cpfError}
                </span>
              )}
            </div>
            {customerCpf && cpfDigits(cpf) !== customerCpf && (
              <button type="button" className="button pos-big" onClick={() => setCpf(maskCpf(customerCpf))}>
                {t('pos.order.cpf.useOrder', { cpf: maskCpf(customerCpf) })}
              </button>
            )}
            <div className="pos-actions">
              <button type="submit" className="button primary pos-big pos-cta" disabled={busy !== null}>
                {busy === 'finish' ? t('pos.order.finishing') : t('pos.order.cpf.withCpf')}
              </button>
              <button
                type="button"
                className="button pos-big"
                disabled={busy !== null}
                onClick={() => void finish(false)}
              >
                {t('pos.order.cpf.without')}
              </button>
              {actions.includes('release') && (
                <button
                  type="button"
                  className="button danger-outline pos-big"
                  disabled={busy !== null}
                  onClick={() => {
                    setReleaseError(null);
                    setReleasing(true);
                  }}
                >
                  {t('pos.order.release')}
                </button>
              )}
            </div>
          </form>
        ) : order.status === 'invoicing' || order.status === 'invoiced' ? (
          <div className="card pos-result">
            {document ? (
              <ReceiptStatus doc={document} />
            ) : (
              <Notice kind="info">{t('pos.order.alreadyInvoiced')}</Notice>
            )}
            <div className="pos-actions">
              {document && (
                <button
                  type="button"
                  className="button pos-big"
                  disabled={busy !== null || document.status === 'sending'}
                  onClick={() => void print(`/api/v1/fiscal-documents/${document.id}/danfe.pdf`, 'print')}
                >
                  {busy === 'print' ? t('pos.order.printing') : t('pos.order.print')}
                </button>
              )}
              {actions.includes('handover') && (
                <button
                  type="button"
                  className="button primary pos-big pos-cta"
                  disabled={busy !== null}
                  onClick={() => setHandingOver(true)}
                >
                  {t('pos.order.handover')}
                </button>
              )}
            </div>
          </div>
        ) : order.status === 'delivered' ? (
          <div className="card pos-result">
            <Notice kind="success">{t('pos.order.delivered', { number: order.number })}</Notice>
            <div className="pos-actions">
              <button
                type="button"
                className="button pos-big"
                disabled={busy !== null}
                onClick={() => void print(`/api/v1/orders/${order.id}/pickup-receipt.pdf`, 'receipt')}
              >
                {busy === 'receipt' ? t('pos.order.printing') : t('pos.order.pickupReceipt')}
              </button>
              {document && (
                <button
                  type="button"
                  className="button pos-big"
                  disabled={busy !== null}
                  onClick={() => void print(`/api/v1/fiscal-documents/${document.id}/danfe.pdf`, 'print')}
                >
                  {t('pos.order.print')}
                </button>
              )}
              <button
                type="button"
                className="button primary pos-big pos-cta"
                onClick={() => navigate('/pos')}
              >
                {t('pos.order.done')}
              </button>
            </div>
          </div>
        ) : (
          <Notice kind="info">{t('pos.order.notReady', { status: t(`statuses.${order.status}`) })}</Notice>
        )}
      </div>

      <ConfirmDialog
        open={releasing}
        title={t('pos.order.releaseTitle', { number: order.number })}
        message={t('pos.order.releaseMessage')}
        confirmLabel={t('pos.order.releaseConfirm')}
        danger
        reason={{ label: t('pos.order.releaseReason'), required: true, maxLength: 500 }}
        busy={releaseBusy}
        error={releaseError}
        onConfirm={(reason) => void release(reason)}
        onCancel={() => setReleasing(false)}
      />
      <HandoverDialog
        open={handingOver}
        order={order}
        onCancel={() => setHandingOver(false)}
        onDone={(delivered) => {
          setHandingOver(false);
          setView({ order: delivered, actions: [], fiscalDocument: document });
          setInfo(null);
          setError(null);
        }}
      />
    </section>
  );
}

/** An action answers the order itself or `{order, ...}`: the order either way. */
const answeredOrder = (answer: PosOrder | { order: PosOrder }): PosOrder =>
  'number' in answer ? answer : answer.order;

function ReceiptStatus({ doc }: { doc: FiscalDocumentRef }) {
  const { t } = useTranslation();
  const key = doc.accessKey.replace(/(\d{4})(?=\d)/g, '$1 ');
  const keyLine = (
    <p className="pos-access-key">
      {t('pos.order.nfce.accessKey')}: <span className="mono">{key}</span>
    </p>
  );
  if (inContingency(doc)) {
    return (
      <div className="pos-contingency" role="status">
        <p className="pos-contingency-title">{t('pos.order.nfce.contingency')}</p>
        <p>{t('pos.order.nfce.contingencyHint')}</p>
        {keyLine}
      </div>
    );
  }
  const kind = doc.status === 'authorised' ? 'success' : doc.status === 'rejected' ? 'error' : 'info';
  const text =
    doc.status === 'authorised'
      ? t('pos.order.nfce.authorised')
      : doc.status === 'rejected'
        ? t('pos.order.nfce.rejected')
        : t('pos.order.nfce.sending');
  return (
    <>
      <Notice kind={kind}>{text}</Notice>
      {keyLine}
    </>
  );
}

/** "Entregar": who picks the goods up (prefilled with the customer), then `POST /orders/{id}/handover`. */
function HandoverDialog(props: {
  open: boolean;
  order: PosOrder;
  onCancel(): void;
  onDone(order: PosOrder): void;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const [name, setName] = useState('');
  const [documentText, setDocumentText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) {
      setName(props.order.customer.name);
      setDocumentText(formatDocument(props.order.customer.document));
      setError(null);
      dialog.showModal();
    } else if (!props.open && dialog.open) dialog.close();
  }, [props.open, props.order]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) {
      setError(t('pos.order.handoverNameRequired'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const body: { name: string; document?: string } = { name: name.trim() };
      const doc = documentText.replace(/[.\-/\s]/g, '');
      if (doc) body.document = doc;
      const answer = await posApi<PosOrder | { order: PosOrder }>(
        'POST',
        `/api/v1/orders/${props.order.id}/handover`,
        body,
      );
      props.onDone(answeredOrder(answer));
    } catch (failure) {
      setError(describeErrorIn(t, failure, 'pos'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog
      ref={ref}
      className="dialog pos-dialog"
      aria-labelledby="pos-handover-title"
      onCancel={(e) => {
        e.preventDefault();
        if (!busy) props.onCancel();
      }}
    >
      <form method="dialog" onSubmit={(e) => void submit(e)} noValidate>
        <h2 id="pos-handover-title">{t('pos.order.handoverTitle', { number: props.order.number })}</h2>
        <p>{t('pos.order.handoverMessage')}</p>
        <label className="field">
          <span>{t('pos.order.handoverName')}</span>
          <input
            className="pos-input"
            value={name}
            maxLength={120}
            autoComplete="off"
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <label className="field">
          <span>{t('pos.order.handoverDocument')}</span>
          <input
            className="pos-input mono"
            value={documentText}
            maxLength={20}
            autoComplete="off"
            onChange={(e) => setDocumentText(e.target.value)}
          />
        </label>
        {error && (
          <p className="notice error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="button pos-big" onClick={props.onCancel} disabled={busy}>
            {t('actions.cancel')}
          </button>
          <button type="submit" className="button primary pos-big" disabled={busy}>
            {busy ? t('actions.saving') : t('pos.order.handoverConfirm')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
