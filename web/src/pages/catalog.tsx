import { Fragment, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { EcommerceFlags, NetworkNode, Page, Product } from '../api/types.ts';
import { ApiError, api, query } from '../api.ts';
import { isAdmin, useAuth } from '../auth.tsx';
import { BulkActions } from '../catalog/bulk-actions.tsx';
import { StockPanel } from '../catalog/stock-panel.tsx';
import { describeErrorIn } from '../components/error-text.ts';
import { LoadMore } from '../components/load-more.tsx';
import { Notice } from '../components/notice.tsx';
import { usePagedList } from '../components/paged-list.ts';
import { toggleIn, useSelectAll } from '../components/row-selection.ts';
import { Switch } from '../components/switch.tsx';
import { formatMoney } from '../format.ts';

const PAGE_SIZE = 50;
const SEARCH_DELAY_MS = 300;

/** Tri-state filters travel in the address as sim/nao, so a filtered list can be reloaded or shared. */
type Tri = '' | 'sim' | 'nao';
const triValue = (v: string | null): boolean | undefined =>
  v === 'sim' ? true : v === 'nao' ? false : undefined;
const asTri = (v: string | null): Tri => (v === 'sim' || v === 'nao' ? v : '');

/** NCM as printed on invoices: 6109.10.00. */
const formatNcm = (ncm: string) =>
  /^\d{8}$/.test(ncm) ? `${ncm.slice(0, 4)}.${ncm.slice(4, 6)}.${ncm.slice(6)}` : ncm;

type Feedback = { kind: 'success' | 'error'; text: string } | null;

export function CatalogPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const admin = isAdmin(me);
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const integrates = asTri(params.get('integra'));
  const active = asTri(params.get('ativo'));
  const status =
    params.get('situacao') === 'inativos' ? 'inativos' : params.get('situacao') === 'ativos' ? 'ativos' : '';
  const storeCode = params.get('loja') ?? '';

  const [text, setText] = useState(q);
  const [stores, setStores] = useState<NetworkNode[]>([]);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());
  const [feedback, setFeedback] = useState<Feedback>(null);

  const setParam = (key: string, value: string) => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  };

  // Typing searches on its own after a pause; Enter searches at once.
  const typing = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(typing.current), []);
  const type = (value: string) => {
    setText(value);
    clearTimeout(typing.current);
    typing.current = setTimeout(() => setParam('q', value.trim()), SEARCH_DELAY_MS);
  };

  useEffect(() => {
    api<Page<NetworkNode>>('GET', `/api/v1/nodes${query({ kind: 'store', limit: 200 })}`)
      .then((page) => setStores(page.items))
      .catch(() => setStores([]));
  }, []);
  const storeNames = useMemo(() => new Map(stores.map((s) => [s.code, s.name])), [stores]);

  const path = `/api/v1/products${query({
    q: q || undefined,
    integratesEcommerce: triValue(integrates),
    activeEcommerce: triValue(active),
    active: status === 'ativos' ? true : status === 'inativos' ? false : undefined,
    storeCode: storeCode || undefined,
    limit: PAGE_SIZE,
  })}`;
  const list = usePagedList<Product>(path);

  // Another selection of products: what was ticked or opened belongs to the previous one.
  const lastPath = useRef(path);
  useEffect(() => {
    if (lastPath.current === path) return;
    lastPath.current = path;
    setSelected(new Set());
    setExpanded(new Set());
  }, [path]);

  const filtered = Boolean(q || integrates || active || status);
  const pageSkus = list.items.map((p) => p.sku);
  const { ref: selectAll, allOnPage } = useSelectAll(pageSkus, selected);

  const place = storeCode
    ? `${t('nodeKinds.store')} ${storeCode}`
    : me?.nodeKind === 'network'
      ? t('catalog.filters.ownPrice')
      : `${t(`nodeKinds.${me?.nodeKind ?? 'store'}`)} ${me?.nodeCode ?? ''}`;

  const setFlag = async (product: Product, change: Partial<EcommerceFlags>) => {
    setBusy((b) => toggleIn(b, product.sku, true));
    setFeedback(null);
    try {
      const saved = await api<Product>(
        'PUT',
        `/api/v1/products/${encodeURIComponent(product.sku)}/ecommerce`,
        {
          ...change,
          version: product.version,
        },
      );
      // The answer is priced at the user's own node: keep the price of the store the table shows.
      list.replace((p) => p.sku === product.sku, {
        ...product,
        integratesEcommerce: saved.integratesEcommerce,
        activeEcommerce: saved.activeEcommerce,
        ecommerceEnabled: saved.ecommerceEnabled,
        version: saved.version,
      });
      const key =
        change.integratesEcommerce === true
          ? 'integratesOn'
          : change.integratesEcommerce === false
            ? product.activeEcommerce
              ? 'integratesOffAndInactive'
              : 'integratesOff'
            : change.activeEcommerce
              ? 'activeOn'
              : 'activeOff';
      setFeedback({ kind: 'success', text: t(`catalog.flags.saved.${key}`, { sku: product.sku }) });
    } catch (err) {
      setFeedback({ kind: 'error', text: describeErrorIn(t, err, 'catalog') });
      if (err instanceof ApiError && err.status === 409) {
        api<Product>(
          'GET',
          `/api/v1/products/${encodeURIComponent(product.sku)}${query({ storeCode: storeCode || undefined })}`,
        )
          .then((fresh) => list.replace((p) => p.sku === product.sku, fresh))
          .catch(() => list.reload());
      }
    } finally {
      setBusy((b) => toggleIn(b, product.sku, false));
    }
  };

  const columns = admin ? 10 : 9;

  return (
    <section className="catalog-page" aria-labelledby="catalog-title">
      <header className="page-header">
        <h1 id="catalog-title">{t('catalog.title')}</h1>
        <p className="hint">{t('catalog.intro')}</p>
      </header>

      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          clearTimeout(typing.current);
          setParam('q', text.trim());
        }}
      >
        <label className="field grow">
          <span>{t('catalog.search.label')}</span>
          <input
            type="search"
            value={text}
            placeholder={t('catalog.search.placeholder')}
            maxLength={60}
            onChange={(e) => type(e.target.value)}
          />
        </label>
        <TriSelect
          label={t('catalog.filters.integrates')}
          value={integrates}
          onChange={(v) => setParam('integra', v)}
        />
        <TriSelect
          label={t('catalog.filters.active')}
          value={active}
          onChange={(v) => setParam('ativo', v)}
        />
        <label className="field">
          <span>{t('catalog.filters.status')}</span>
          <select value={status} onChange={(e) => setParam('situacao', e.target.value)}>
            <option value="">{t('catalog.filters.all')}</option>
            <option value="ativos">{t('catalog.filters.onSale')}</option>
            <option value="inativos">{t('catalog.filters.discontinued')}</option>
          </select>
        </label>
        {me?.nodeKind !== 'store' && stores.length > 0 && (
          <label className="field">
            <span>{t('catalog.filters.priceAt')}</span>
            <select value={storeCode} onChange={(e) => setParam('loja', e.target.value)}>
              <option value="">
                {me?.nodeKind === 'network'
                  ? t('catalog.filters.ownPrice')
                  : `${t(`nodeKinds.${me?.nodeKind ?? 'store'}`)} ${me?.nodeCode}`}
              </option>
              {stores.map((s) => (
                <option key={s.code} value={s.code}>
                  {s.code} — {s.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <button type="submit" className="button primary">
          {t('actions.search')}
        </button>
        {(filtered || text) && (
          <button
            type="button"
            className="button"
            onClick={() => {
              setText('');
              clearTimeout(typing.current);
              setParams(storeCode ? { loja: storeCode } : {}, { replace: true });
            }}
          >
            {t('catalog.filters.clear')}
          </button>
        )}
      </form>

      {!admin && <p className="hint read-only-note">{t('catalog.flags.readOnly')}</p>}
      {admin && (
        <BulkActions
          selected={[...selected]}
          onFinished={() => {
            setSelected(new Set());
            list.reload();
          }}
        />
      )}
      {feedback && <Notice kind={feedback.kind}>{feedback.text}</Notice>}
      {list.error ? <Notice kind="error">{describeErrorIn(t, list.error, 'catalog')}</Notice> : null}

      {list.loading && list.items.length === 0 ? (
        <p className="loading">{t('actions.loading')}</p>
      ) : !list.loading && !list.error && list.items.length === 0 ? (
        <section className="empty-state" aria-live="polite">
          <h2>{t('catalog.empty.title')}</h2>
          <p>{filtered ? t('catalog.empty.filtered') : t('catalog.empty.none')}</p>
        </section>
      ) : list.items.length > 0 ? (
        <div className="table-wrap">
          <table className="catalog-table" aria-busy={list.loading || undefined}>
            <thead>
              <tr>
                {admin && (
                  <th scope="col" className="check">
                    <input
                      ref={selectAll}
                      type="checkbox"
                      aria-label={t('catalog.selectAll')}
                      checked={allOnPage}
                      onChange={(e) => {
                        const on = e.target.checked;
                        setSelected((s) => {
                          const next = new Set(s);
                          for (const sku of pageSkus) {
                            if (on) next.add(sku);
                            else next.delete(sku);
                          }
                          return next;
                        });
                      }}
                    />
                  </th>
                )}
                <th scope="col">{t('catalog.columns.sku')}</th>
                <th scope="col">{t('catalog.columns.ean')}</th>
                <th scope="col">{t('catalog.columns.description')}</th>
                <th scope="col">{t('catalog.columns.ncm')}</th>
                <th scope="col">{t('catalog.columns.unit')}</th>
                <th scope="col" className="num">
                  {storeCode || me?.nodeKind !== 'network'
                    ? t('catalog.columns.priceAt', { place })
                    : t('catalog.columns.priceDefault')}
                </th>
                <th scope="col">{t('catalog.columns.integrates')}</th>
                <th scope="col">{t('catalog.columns.active')}</th>
                <th scope="col">{t('catalog.columns.stock')}</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((p) => {
                const isSelected = selected.has(p.sku);
                const isOpen = expanded.has(p.sku);
                const rowBusy = busy.has(p.sku);
                return (
                  <Fragment key={p.sku}>
                    <tr className={isSelected ? 'selected' : undefined} data-sku={p.sku}>
                      {admin && (
                        <td className="check">
                          <input
                            type="checkbox"
                            aria-label={t('catalog.selectOne', { sku: p.sku })}
                            checked={isSelected}
                            onChange={(e) => {
                              const on = e.target.checked;
                              setSelected((s) => toggleIn(s, p.sku, on));
                            }}
                          />
                        </td>
                      )}
                      <td className="code">{p.sku}</td>
                      <td className="mono">{p.ean}</td>
                      <td className="wrap">
                        {p.description}
                        {!p.active && <span className="tag muted">{t('catalog.discontinued')}</span>}
                      </td>
                      <td className="mono">{formatNcm(p.ncm)}</td>
                      <td>{p.unit}</td>
                      <td className="num">
                        {formatMoney(p.price)}
                        {p.priceSource !== 'network' && (
                          <small className="price-source">
                            {t(`catalog.priceSource.${p.priceSource}`, { code: p.priceNodeCode })}
                          </small>
                        )}
                      </td>
                      <td>
                        {admin ? (
                          <Switch
                            checked={p.integratesEcommerce}
                            label={t('catalog.flags.switchName', {
                              flag: t('catalog.flags.integrates'),
                              sku: p.sku,
                            })}
                            onText={t('catalog.flags.yes')}
                            offText={t('catalog.flags.no')}
                            busy={rowBusy}
                            onChange={(next) => void setFlag(p, { integratesEcommerce: next })}
                          />
                        ) : (
                          <FlagText on={p.integratesEcommerce} />
                        )}
                      </td>
                      <td>
                        {admin ? (
                          <Switch
                            checked={p.activeEcommerce}
                            label={t('catalog.flags.switchName', {
                              flag: t('catalog.flags.active'),
                              sku: p.sku,
                            })}
                            onText={t('catalog.flags.yes')}
                            offText={t('catalog.flags.no')}
                            busy={rowBusy}
                            disabled={!p.integratesEcommerce}
                            title={!p.integratesEcommerce ? t('catalog.flags.needsIntegration') : undefined}
                            onChange={(next) => void setFlag(p, { activeEcommerce: next })}
                          />
                        ) : (
                          <FlagText on={p.activeEcommerce} />
                        )}
                      </td>
                      <td>
                        <button
                          type="button"
                          className="button small"
                          aria-expanded={isOpen}
                          aria-controls={`stock-row-${p.sku}`}
                          aria-label={t('catalog.stock.toggleFor', { sku: p.sku })}
                          onClick={() => setExpanded((s) => toggleIn(s, p.sku, !isOpen))}
                        >
                          <span aria-hidden="true">{isOpen ? '▾' : '▸'}</span> {t('catalog.stock.toggle')}
                        </button>
                      </td>
                    </tr>
                    {isOpen && (
                      <tr className="expanded-row" id={`stock-row-${p.sku}`}>
                        <td colSpan={columns}>
                          <StockPanel sku={p.sku} storeNames={storeNames} />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}

      {list.items.length > 0 && (
        <footer className="list-footer">
          <span className="hint">{t('catalog.showing', { count: list.items.length })}</span>
          {list.nextCursor && <LoadMore list={list} />}
        </footer>
      )}
    </section>
  );
}

function TriSelect(props: { label: string; value: Tri; onChange(value: Tri): void }) {
  const { t } = useTranslation();
  return (
    <label className="field">
      <span>{props.label}</span>
      <select value={props.value} onChange={(e) => props.onChange(asTri(e.target.value))}>
        <option value="">{t('catalog.filters.all')}</option>
        <option value="sim">{t('catalog.filters.yes')}</option>
        <option value="nao">{t('catalog.filters.no')}</option>
      </select>
    </label>
  );
}

/** A flag for those who may not change it: the word, with the same colour cue as the switch. */
function FlagText({ on }: { on: boolean }) {
  const { t } = useTranslation();
  return (
    <span className={on ? 'flag on' : 'flag'}>{on ? t('catalog.flags.yes') : t('catalog.flags.no')}</span>
  );
}
