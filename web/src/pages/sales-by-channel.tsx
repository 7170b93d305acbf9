import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ResponseOf } from '../api/types.ts';
import { api, query } from '../api.ts';
import { describeErrorIn } from '../components/error-text.ts';
import { Notice } from '../components/notice.tsx';
import { useLoad } from '../components/use-load.ts';
import { formatDay, formatMoney, todayInSaoPaulo } from '../format.ts';
import { Choices } from '../orders/choices.tsx';
import '../reports/reports.css';

type Report = ResponseOf<'/api/v1/reports/sales-by-channel', 'get'>;
type Channel = Report['rows'][number]['channel'];
const channels: readonly Channel[] = ['pos', 'omni'];
/** The chart's colours: the counter in the brand's blue, the e-commerce in amber (both readable in grey). */
const colours: Record<Channel, string> = { pos: '#1d4ed8', omni: '#d97706' };

interface Filters {
  from: string;
  to: string;
  stores: string[];
}

/** The last 30 days in São Paulo, today included: what the API answers without a period. */
const lastMonth = (): Filters => ({
  from: todayInSaoPaulo(new Date(Date.now() - 29 * 86_400_000)),
  to: todayInSaoPaulo(),
  stores: [],
});

/**
 * Vendas por canal (seeds 000 §3.4.3, "Consulta Analítica - Canal de Venda"): the sales invoiced per day, the
 * POS's ("PDV") against the e-commerce's ("Omni"), as a chart of the value per day and the table below it.
 */
export function SalesByChannelPage() {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Filters>(lastMonth);
  const [applied, setApplied] = useState<Filters>(draft);
  const [storeOptions, setStoreOptions] = useState<{ value: string; label: string }[]>([]);
  const report = useLoad(
    async (signal) => {
      const answer = await api<Report>(
        'GET',
        `/api/v1/reports/sales-by-channel${query({ from: applied.from, to: applied.to, storeCode: applied.stores })}`,
        undefined,
        signal,
      );
      // The stores to choose from are those of the unfiltered answer: every store the user sees.
      if (applied.stores.length === 0)
        setStoreOptions(answer.stores.map((s) => ({ value: s.code, label: `${s.code} · ${s.name}` })));
      return answer;
    },
    [applied],
  );
  const data = report.data;

  /** The value per day of each channel, every store summed; days without sales are left out. */
  const series = useMemo(() => {
    const days = new Map<string, Record<Channel, number> & { day: string }>();
    for (const row of data?.rows ?? []) {
      const day = days.get(row.day) ?? { day: row.day, pos: 0, omni: 0 };
      day[row.channel] += Number(row.value);
      days.set(row.day, day);
    }
    return [...days.values()];
  }, [data]);

  const channelName = (name: string) =>
    channels.includes(name as Channel) ? t(`counter.sales.channels.${name as Channel}`) : name;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setApplied({ ...draft });
  };

  const storeSummary = draft.stores.length === 0 ? t('counter.sales.allStores') : draft.stores.join(', ');

  return (
    <section className="sales-by-channel" aria-labelledby="sales-title">
      <header className="page-header">
        <h1 id="sales-title">{t('counter.sales.title')}</h1>
        <p className="hint">{t('counter.sales.intro')}</p>
      </header>

      <form className="filters card" onSubmit={submit} aria-label={t('counter.sales.title')}>
        <label>
          {t('counter.sales.from')}
          <input
            type="date"
            name="from"
            value={draft.from}
            required
            onChange={(e) => setDraft({ ...draft, from: e.target.value })}
          />
        </label>
        <label>
          {t('counter.sales.to')}
          <input
            type="date"
            name="to"
            value={draft.to}
            required
            onChange={(e) => setDraft({ ...draft, to: e.target.value })}
          />
        </label>
        {storeOptions.length > 1 && (
          <Choices
            label={t('counter.sales.stores')}
            summary={storeSummary}
            options={storeOptions}
            selected={draft.stores}
            onChange={(values) => setDraft({ ...draft, stores: values })}
          />
        )}
        <div className="filter-actions">
          <button type="submit" className="button primary">
            {t('counter.sales.apply')}
          </button>
        </div>
      </form>

      {report.error != null && <Notice kind="error">{describeErrorIn(t, report.error, 'counter')}</Notice>}
      {!data && report.loading && <p className="loading">{t('counter.sales.loading')}</p>}

      {data && (
        <>
          <p className="hint">
            {t('counter.sales.period', { from: formatDay(data.from), to: formatDay(data.to) })}
          </p>
          <section className="card sales-totals" aria-labelledby="sales-totals">
            <h2 id="sales-totals">{t('counter.sales.totals')}</h2>
            <dl className="facts compact">
              {[...channels, 'all' as const].map((c) => (
                <div key={c} data-channel={c}>
                  <dt>{c === 'all' ? t('counter.sales.all') : t(`counter.sales.channels.${c}`)}</dt>
                  <dd>
                    {formatMoney(data.totals[c].value)} · {t('counter.sales.count')}: {data.totals[c].count}
                  </dd>
                </div>
              ))}
            </dl>
          </section>

          {data.rows.length === 0 ? (
            <section className="empty-state">
              <p>{t('counter.sales.empty')}</p>
            </section>
          ) : (
            <>
              <section className="card sales-chart" aria-labelledby="sales-chart">
                <h2 id="sales-chart">{t('counter.sales.chartTitle')}</h2>
                <figure role="img" aria-label={t('counter.sales.chartLabel')}>
                  <ResponsiveContainer width="100%" height={300}>
                    <BarChart data={series} margin={{ top: 8, right: 16, bottom: 8, left: 16 }}>
                      <CartesianGrid strokeDasharray="3 3" vertical={false} />
                      <XAxis dataKey="day" tickFormatter={formatDay} />
                      <YAxis tickFormatter={(v: number) => formatMoney(v.toFixed(2))} width={96} />
                      <Tooltip
                        labelFormatter={(day) => formatDay(String(day))}
                        formatter={(value, name) => [
                          formatMoney(Number(value).toFixed(2)),
                          channelName(String(name)),
                        ]}
                      />
                      <Legend formatter={(name) => channelName(String(name))} />
                      {channels.map((c) => (
                        <Bar
                          key={c}
                          dataKey={c}
                          stackId="sales"
                          fill={colours[c]}
                          isAnimationActive={false}
                        />
                      ))}
                    </BarChart>
                  </ResponsiveContainer>
                </figure>
              </section>

              <section className="card" aria-labelledby="sales-table">
                <h2 id="sales-table">{t('counter.sales.table')}</h2>
                <table className="data-table">
                  <thead>
                    <tr>
                      <th scope="col">{t('counter.sales.day')}</th>
                      <th scope="col">{t('counter.sales.store')}</th>
                      <th scope="col">{t('counter.sales.channel')}</th>
                      <th scope="col" className="number">
                        {t('counter.sales.count')}
                      </th>
                      <th scope="col" className="number">
                        {t('counter.sales.value')}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.rows.map((r) => (
                      <tr key={`${r.day}-${r.storeCode}-${r.channel}`}>
                        <td>{formatDay(r.day)}</td>
                        <td>
                          {r.storeCode} · {r.storeName}
                        </td>
                        <td>{t(`counter.sales.channels.${r.channel}`)}</td>
                        <td className="number">{r.count}</td>
                        <td className="number">{formatMoney(r.value)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
            </>
          )}
        </>
      )}
    </section>
  );
}
