import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Simulation } from '../api/types.ts';
import { api } from '../api.ts';
import { describeErrorIn } from '../components/error-text.ts';
import { Notice } from '../components/notice.tsx';
import { fieldErrors } from '../errors.ts';
import { formatCep, formatDay } from '../format.ts';

interface Line {
  key: number;
  sku: string;
  quantity: string;
}

let nextKey = 1;
const newLine = (): Line => ({ key: nextKey++, sku: '', quantity: '1' });

/**
 * PDVFC019's simulation: a CEP and a cart; for each experience and company, whether it serves the whole
 * cart and the expected date (dates in pt-BR, servable options first).
 */
export function SimulationPanel() {
  const { t } = useTranslation();
  const id = useId();
  const [postalCode, setPostalCode] = useState('');
  const [lines, setLines] = useState<Line[]>(() => [newLine()]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<Simulation | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const setLine = (key: number, patch: Partial<Line>) =>
    setLines((ls) => ls.map((l) => (l.key === key ? { ...l, ...patch } : l)));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFailure(null);
    const found: Record<string, string> = {};
    if (!/^\d{5}-?\d{3}$/.test(postalCode.trim()))
      found['/postalCode'] = t('delivery.simulation.invalid.postalCode');
    lines.forEach((l, i) => {
      if (!l.sku.trim()) found[`/items/${i}/sku`] = t('delivery.simulation.invalid.sku');
      if (!/^[1-9]\d{0,5}$/.test(l.quantity))
        found[`/items/${i}/quantity`] = t('delivery.simulation.invalid.quantity');
    });
    setErrors(found);
    if (Object.keys(found).length) return;
    setRunning(true);
    try {
      setResult(
        await api<Simulation>('POST', '/api/v1/delivery-simulations', {
          postalCode: postalCode.trim(),
          items: lines.map((l) => ({ sku: l.sku.trim().toUpperCase(), quantity: Number(l.quantity) })),
        }),
      );
    } catch (err) {
      const server = fieldErrors(t, err);
      const mapped: Record<string, string> = {};
      for (const path of Object.keys(server)) {
        if (path === '/postalCode') mapped[path] = t('delivery.simulation.invalid.postalCode');
        else if (path.endsWith('/sku')) mapped[path] = t('delivery.simulation.invalid.sku');
        else if (path.endsWith('/quantity')) mapped[path] = t('delivery.simulation.invalid.quantity');
      }
      setErrors(mapped);
      setResult(null);
      setFailure(describeErrorIn(t, err, 'delivery'));
    } finally {
      setRunning(false);
    }
  };

  const error = (path: string, errorId: string) =>
    errors[path] ? (
      <span id={errorId} className="field-error">
        {errors[path]}
      </span>
    ) : null;

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('delivery.simulation.title')}</h2>
      <p className="hint">{t('delivery.simulation.intro')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <label className="field">
          <span>{t('delivery.simulation.postalCode')}</span>
          <input
            name="postalCode"
            inputMode="numeric"
            value={postalCode}
            placeholder="00000-000"
            maxLength={9}
            aria-invalid={errors['/postalCode'] ? true : undefined}
            aria-describedby={errors['/postalCode'] ? `${id}-cep-error` : undefined}
            onChange={(e) => {
              setPostalCode(e.target.value);
              setErrors((x) => ({ ...x, '/postalCode': '' }));
            }}
          />
          {error('/postalCode', `${id}-cep-error`)}
        </label>
        <div className="simulation-lines">
          {lines.map((l, i) => (
            <div className="simulation-line" key={l.key}>
              <label className="field">
                <span>{t('delivery.simulation.sku')}</span>
                <input
                  name={`sku-${i}`}
                  value={l.sku}
                  aria-invalid={errors[`/items/${i}/sku`] ? true : undefined}
                  aria-describedby={errors[`/items/${i}/sku`] ? `${id}-sku-${i}-error` : undefined}
                  onChange={(e) => setLine(l.key, { sku: e.target.value })}
                />
                {error(`/items/${i}/sku`, `${id}-sku-${i}-error`)}
              </label>
              <label className="field">
                <span>{t('delivery.simulation.quantity')}</span>
                <input
                  name={`quantity-${i}`}
                  type="number"
                  min={1}
                  step={1}
                  value={l.quantity}
                  aria-invalid={errors[`/items/${i}/quantity`] ? true : undefined}
                  aria-describedby={errors[`/items/${i}/quantity`] ? `${id}-qty-${i}-error` : undefined}
                  onChange={(e) => setLine(l.key, { quantity: e.target.value })}
                />
                {error(`/items/${i}/quantity`, `${id}-qty-${i}-error`)}
              </label>
              {lines.length > 1 && (
                <button
                  type="button"
                  className="button"
                  aria-label={t('delivery.simulation.removeLine', { n: i + 1 })}
                  onClick={() => setLines((ls) => ls.filter((x) => x.key !== l.key))}
                >
                  ✕
                </button>
              )}
            </div>
          ))}
        </div>
        <div className="toolbar">
          <button type="button" className="button" onClick={() => setLines((ls) => [...ls, newLine()])}>
            {t('delivery.simulation.addLine')}
          </button>
          <button type="submit" className="button primary" disabled={running}>
            {running ? t('delivery.simulation.running') : t('delivery.simulation.submit')}
          </button>
        </div>
      </form>
      {failure && <Notice kind="error">{failure}</Notice>}
      {result && (
        <div aria-live="polite">
          <p>
            {t('delivery.simulation.destination', {
              postalCode: formatCep(result.destination.postalCode),
              state: result.destination.state,
              region: t(`delivery.simulation.regions.${result.destination.region}`, {
                defaultValue: result.destination.region,
              }),
            })}
          </p>
          {result.options.length === 0 ? (
            <p className="empty-state">{t('delivery.simulation.empty')}</p>
          ) : (
            <div className="table-wrap">
              <table className="simulation-results">
                <thead>
                  <tr>
                    <th scope="col">{t('delivery.simulation.columns.experience')}</th>
                    <th scope="col">{t('delivery.simulation.columns.store')}</th>
                    <th scope="col">{t('delivery.simulation.columns.type')}</th>
                    <th scope="col">{t('delivery.simulation.columns.serves')}</th>
                    <th scope="col">{t('delivery.simulation.columns.expectedDate')}</th>
                    <th scope="col">{t('delivery.simulation.columns.missing')}</th>
                    <th scope="col">{t('delivery.simulation.columns.invoiceDays')}</th>
                    <th scope="col">{t('delivery.simulation.columns.transitDays')}</th>
                  </tr>
                </thead>
                <tbody>
                  {result.options.map((o) => (
                    <tr
                      key={`${o.experienceCode}-${o.storeCode}`}
                      className={o.canServe ? undefined : 'cannot-serve'}
                      data-option={`${o.experienceCode}:${o.storeCode}`}
                    >
                      <td title={o.experienceDescription}>
                        <span className="code">{o.experienceCode}</span>
                      </td>
                      <td>
                        <span className="code">{o.storeCode}</span> {o.storeName}
                      </td>
                      <td>{t(`delivery.types.${o.type}`)}</td>
                      <td className={o.canServe ? 'serves' : undefined}>
                        {o.canServe ? t('delivery.simulation.serves') : t('delivery.simulation.doesNotServe')}
                      </td>
                      <td className="expected-date">{formatDay(o.expectedDate)}</td>
                      <td>
                        {o.missing.map((m) => t('delivery.simulation.missingLine', m)).join('; ') || '—'}
                      </td>
                      <td>{t('delivery.simulation.days', { count: o.invoiceDays })}</td>
                      <td>{t('delivery.simulation.days', { count: o.transitDays })}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
