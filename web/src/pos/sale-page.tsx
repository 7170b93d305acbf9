import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Notice } from '../components/notice.tsx';
import { formatDateTime, formatMoney } from '../format.ts';
import { checkCpf, cpfDigits, maskCpf } from './counter.ts';
import type { CashSession, OfflineDb } from './offline/db.ts';
import { recordsOf } from './offline/db.ts';
import { useOffline } from './offline/offline-context.tsx';
import {
  addToCart,
  type CartLine,
  cartTotal,
  fromCents,
  lineTotal,
  type PaymentMethod,
  paymentMethods,
  resolvePrice,
  type SaleProduct,
  saleUpload,
  searchProducts,
  setQuantity,
  toCents,
} from './offline/sale.ts';
import { queueUpload, type UploadState, uploadState } from './offline/uploads.ts';
import { SyncStatus } from './sync-status.tsx';

const CASH = 'cash-session';

interface Found extends SaleProduct {
  price: string | null;
}

/** Products matching the query, priced from the downloaded price records (IndexedDB only: works offline). */
async function findProducts(db: OfflineDb, query: string): Promise<Found[]> {
  const [products, eans] = await Promise.all([db.getAll('products'), db.getAll('product-eans')]);
  const eanToSku = new Map<string, string>();
  for (const e of eans) if (typeof e.data.sku === 'string') eanToSku.set(e.key, e.data.sku);
  const found = searchProducts(products, query, eanToSku);
  return Promise.all(
    found.map(async (p) => {
      const product = products.find((r) => r.key === p.sku);
      return { ...p, price: resolvePrice(await recordsOf(db, 'prices', p.sku), product) };
    }),
  );
}

/**
 * "Venda" (seed 000 §2, the POS selling on its own data): the cash opened on this terminal, products found
 * and priced from the POS's IndexedDB, and the sale queued as an upload — the server issues its NFC-e
 * when the upload arrives. Everything here works with the server unreachable.
 */
export function PosSalePage() {
  const { t } = useTranslation();
  const offline = useOffline();
  const { db } = offline;
  const [cash, setCash] = useState<CashSession | null | undefined>(undefined);
  const [opening, setOpening] = useState('');
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<Found[] | null>(null);
  const [cart, setCart] = useState<CartLine[]>([]);
  const [method, setMethod] = useState<PaymentMethod>('cash');
  const [cpf, setCpf] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [sale, setSale] = useState<{ posId: string; total: string } | null>(null);
  const [saleState, setSaleState] = useState<UploadState | null>(null);
  const [productCount, setProductCount] = useState<number | null>(null);

  useEffect(() => {
    if (!db) return;
    void db.get('local', CASH).then((value) => setCash((value as CashSession | undefined) ?? null));
  }, [db]);

  // The copy or the queue changed (a page downloaded, an upload answered): re-read what the page shows.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` is the change signal itself.
  useEffect(() => {
    if (!db) return;
    void db.count('products').then(setProductCount);
    if (sale) void uploadState(db, sale.posId).then(setSaleState);
  }, [db, sale, offline.version]);

  if (!db || cash === undefined) return <p className="hint">{t('pos.shell.loading')}</p>;

  const openCash = async () => {
    const cents = toCents(opening);
    if (cents === null || cents < 0) {
      setError(t('pos.sale.cash.amountInvalid'));
      return;
    }
    setBusy(true);
    try {
      const amount = fromCents(cents);
      const entry = await queueUpload(db, 'cash-opening', { amount });
      const session: CashSession = { posId: entry.posId, amount, openedAt: entry.queuedAt };
      await db.put('local', session, CASH);
      setCash(session);
      setError(null);
      offline.sendNow();
      await offline.refresh();
    } finally {
      setBusy(false);
    }
  };

  const search = async () => {
    const found = await findProducts(db, query);
    setResults(found);
    // A scanner's read names one product: straight into the cart.
    const only = found[0];
    if (found.length === 1 && only?.price) add(only);
  };

  const add = (p: Found) => {
    if (!p.price) return;
    setCart((lines) => addToCart(lines, { sku: p.sku, name: p.name, unitPrice: p.price as string }));
    setQuery('');
    setResults(null);
    setError(null);
  };

  const cpfCheck = checkCpf(cpf);
  const finish = async () => {
    if (cart.length === 0) return;
    if (cpfCheck === 'invalid' || cpfCheck === 'incomplete') {
      setError(t('pos.sale.cpfInvalid'));
      return;
    }
    setBusy(true);
    try {
      const fields = saleUpload(cart, {
        method,
        cashSessionPosId: cash?.posId,
        customerDocument: cpfCheck === 'valid' ? cpfDigits(cpf) : undefined,
      });
      const entry = await queueUpload(db, 'sale', fields);
      setSale({ posId: entry.posId, total: fields.total as string });
      setSaleState({ state: 'queued', entry });
      setCart([]);
      setCpf('');
      setError(null);
      offline.sendNow();
      await offline.refresh();
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="pos-page" aria-labelledby="pos-sale-title">
      <h1 id="pos-sale-title">{t('pos.sale.title')}</h1>
      {cash === null ? (
        <form
          className="card"
          onSubmit={(e) => {
            e.preventDefault();
            void openCash();
          }}
        >
          <h2>{t('pos.sale.cash.title')}</h2>
          <p className="hint">{t('pos.sale.cash.intro')}</p>
          <label className="field">
            <span>{t('pos.sale.cash.amount')}</span>
            <input
              className="pos-input mono"
              inputMode="decimal"
              value={opening}
              onChange={(e) => setOpening(e.target.value)}
            />
          </label>
          {error && <Notice kind="error">{error}</Notice>}
          <button type="submit" className="button primary pos-big" disabled={busy}>
            {t('pos.sale.cash.open')}
          </button>
        </form>
      ) : sale ? (
        <div className="card pos-result" data-testid="pos-sale-result">
          <Notice kind="success">
            {t('pos.sale.registered')} — {formatMoney(sale.total)}
          </Notice>
          <SaleState state={saleState} />
          <button
            type="button"
            className="button primary pos-big"
            onClick={() => {
              setSale(null);
              setSaleState(null);
            }}
          >
            {t('pos.sale.another')}
          </button>
        </div>
      ) : (
        <>
          <p className="hint">
            {t('pos.sale.cash.opened', {
              time: formatDateTime(cash.openedAt),
              amount: formatMoney(cash.amount),
            })}
          </p>
          {productCount === 0 && <Notice kind="info">{t('pos.sale.notLoaded')}</Notice>}
          <form
            className="pos-search-row"
            onSubmit={(e) => {
              e.preventDefault();
              void search();
            }}
          >
            <label className="field">
              <span>{t('pos.sale.search')}</span>
              <input
                id="pos-sale-search"
                className="pos-input"
                value={query}
                autoComplete="off"
                onChange={(e) => setQuery(e.target.value)}
              />
              <span className="hint">{t('pos.sale.searchHint')}</span>
            </label>
          </form>
          {results && results.length === 0 && (
            <Notice kind="info">{t('pos.sale.noResults', { query })}</Notice>
          )}
          {results && results.length > 0 && (
            <ul className="pos-return-lines">
              {results.map((p) => (
                <li key={p.sku} className="pos-return-line">
                  <div>
                    <strong>{p.name}</strong>
                    <span className="hint mono"> {p.sku}</span>
                    <div className="hint">{p.price ? formatMoney(p.price) : t('pos.sale.noPrice')}</div>
                  </div>
                  <button
                    type="button"
                    className="button pos-big"
                    disabled={!p.price}
                    aria-label={t('pos.sale.add', { name: p.name })}
                    onClick={() => add(p)}
                  >
                    +
                  </button>
                </li>
              ))}
            </ul>
          )}
          <div className="card">
            <h2>{t('pos.sale.cart')}</h2>
            {cart.length === 0 ? (
              <p className="hint">{t('pos.sale.empty')}</p>
            ) : (
              <table className="pos-items">
                <thead>
                  <tr>
                    <th>{t('pos.sale.sku')}</th>
                    <th>{t('pos.sale.product')}</th>
                    <th className="num">{t('pos.sale.quantity')}</th>
                    <th className="num">{t('pos.sale.unitPrice')}</th>
                    <th className="num">{t('pos.sale.lineTotal')}</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {cart.map((line) => (
                    <tr key={line.sku}>
                      <td className="mono">{line.sku}</td>
                      <td>{line.name}</td>
                      <td className="num">
                        <input
                          className="pos-input mono"
                          inputMode="numeric"
                          size={4}
                          aria-label={t('pos.sale.quantityOf', { name: line.name })}
                          value={String(line.quantity)}
                          onChange={(e) =>
                            setCart((lines) =>
                              setQuantity(lines, line.sku, Number(e.target.value.replace(/\D/g, '')) || 1),
                            )
                          }
                        />
                      </td>
                      <td className="num">{formatMoney(line.unitPrice)}</td>
                      <td className="num">{formatMoney(fromCents(lineTotal(line)))}</td>
                      <td>
                        <button
                          type="button"
                          className="button"
                          aria-label={t('pos.sale.remove', { name: line.name })}
                          onClick={() => setCart((lines) => setQuantity(lines, line.sku, 0))}
                        >
                          ×
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <p className="pos-total" data-testid="pos-sale-total">
              {t('pos.sale.total')}: <strong>{formatMoney(cartTotal(cart))}</strong>
            </p>
            <label className="field">
              <span>{t('pos.sale.payment')}</span>
              <select
                className="pos-input"
                value={method}
                onChange={(e) => setMethod(e.target.value as PaymentMethod)}
              >
                {paymentMethods.map((m) => (
                  <option key={m} value={m}>
                    {t(`pos.sale.methods.${m}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="field pos-cpf">
              <span>{t('pos.sale.cpf')}</span>
              <input
                className="pos-input mono"
                inputMode="numeric"
                value={cpf}
                onChange={(e) => setCpf(maskCpf(e.target.value))}
              />
            </label>
            {error && <Notice kind="error">{error}</Notice>}
            <button
              type="button"
              className="button primary pos-big pos-cta"
              disabled={busy || cart.length === 0}
              onClick={() => void finish()}
            >
              {t('pos.sale.finish')}
            </button>
          </div>
        </>
      )}
      <SyncStatus />
    </section>
  );
}

/** Where the sale's upload stands: sent (with the NFC-e key the server issued), waiting, or refused. */
function SaleState({ state }: { state: UploadState | null }) {
  const { t } = useTranslation();
  if (!state || state.state === 'unknown') return null;
  if (state.state === 'queued') return <Notice kind="info">{t('pos.sale.waiting')}</Notice>;
  if (state.state === 'refused')
    return <Notice kind="error">{t('pos.sale.refused', { reason: state.refused.message })}</Notice>;
  const fiscal = state.sent.result.fiscalDocument as { accessKey?: string } | null | undefined;
  return (
    <>
      <Notice kind="success">{t('pos.sale.sent')}</Notice>
      {fiscal?.accessKey && (
        <p className="pos-access-key">
          {t('pos.sale.nfceKey')}:{' '}
          <span className="mono" data-testid="pos-sale-nfce">
            {fiscal.accessKey.replace(/(\d{4})(?=\d)/g, '$1 ')}
          </span>
        </p>
      )}
    </>
  );
}
