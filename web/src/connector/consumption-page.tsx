import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ResponseOf } from '../api/types.ts';
import { api, downloadFile, query } from '../api.ts';
import { describeErrorIn } from '../components/error-text.ts';
import { Notice } from '../components/notice.tsx';
import { useLoad } from '../components/use-load.ts';
import { fieldErrors } from '../errors.ts';
import { formatDay, todayInSaoPaulo } from '../format.ts';
import './connector.css';
import { callsPerDay } from './consumption.ts';

type Consumption = ResponseOf<'/api/v1/connector/consumption', 'get'>;

interface Filters {
  from: string;
  to: string;
  system: string;
}

/** The last 7 days in São Paulo, today included. */
const lastWeek = (): Filters => ({
  from: todayInSaoPaulo(new Date(Date.now() - 6 * 86_400_000)),
  to: todayInSaoPaulo(),
  system: '',
});

/** Each system's pair of colours: success solid, failure the same hue lighter (readable in grey too). */
const palette = [
  ['#1d4ed8', '#93c5fd'],
  ['#047857', '#6ee7b7'],
  ['#b45309', '#fcd34d'],
  ['#7c3aed', '#c4b5fd'],
  ['#be123c', '#fda4af'],
  ['#0f766e', '#5eead4'],
] as const;

const numbers = new Intl.NumberFormat('pt-BR');

/**
 * Integrações → Consumo (seed 000 §3.2, "Consumo Connector"): calls per satellite system × method × day,
 * as stacked bars (successes and failures of each system per day) and the table, exportable as CSV.
 */
export function ConnectorConsumptionPage() {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Filters>(lastWeek);
  const [applied, setApplied] = useState<Filters>(draft);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<unknown>(null);
  const path = `/api/v1/connector/consumption${query({ from: applied.from, to: applied.to, system: applied.system.trim() })}`;
  const report = useLoad((signal) => api<Consumption>('GET', path, undefined, signal), [path]);
  const rows = report.data?.items ?? [];
  const chart = useMemo(() => callsPerDay(rows), [rows]);
  const invalid = fieldErrors(t, report.error);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setApplied({ ...draft });
  };
  const exportCsv = async () => {
    setExporting(true);
    setExportError(null);
    try {
      const csv = path.replace('/api/v1/connector/consumption', '/api/v1/connector/consumption.csv');
      await downloadFile(csv, 'consumo-connector.csv');
    } catch (error) {
      setExportError(error);
    } finally {
      setExporting(false);
    }
  };
  const set = (field: keyof Filters) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [field]: e.target.value }));

  return (
    <section className="connector-page connector-consumption" aria-labelledby="connector-consumption-title">
      <header className="page-header">
        <h1 id="connector-consumption-title">{t('connector.consumption.title')}</h1>
        <p className="hint">{t('connector.consumption.intro')}</p>
      </header>

      <form className="filters" aria-label={t('connector.consumption.filters.label')} onSubmit={apply}>
        <label className="field">
          <span>{t('connector.consumption.filters.from')}</span>
          <input
            type="date"
            required
            value={draft.from}
            onChange={set('from')}
            aria-invalid={!!invalid['/from']}
          />
          {invalid['/from'] && <span className="field-error">{invalid['/from']}</span>}
        </label>
        <label className="field">
          <span>{t('connector.consumption.filters.to')}</span>
          <input type="date" required value={draft.to} onChange={set('to')} aria-invalid={!!invalid['/to']} />
          {invalid['/to'] && <span className="field-error">{invalid['/to']}</span>}
        </label>
        <label className="field">
          <span>{t('connector.consumption.filters.system')}</span>
          <input
            type="search"
            value={draft.system}
            placeholder={t('connector.consumption.filters.systemPlaceholder')}
            onChange={set('system')}
          />
        </label>
        <div className="filter-actions">
          <button type="submit" className="button primary">
            {t('connector.consumption.filters.apply')}
          </button>
          <button type="button" className="button" onClick={() => void exportCsv()} disabled={exporting}>
            {exporting
              ? t('connector.consumption.filters.exporting')
              : t('connector.consumption.filters.export')}
          </button>
        </div>
      </form>

      {exportError ? (
        <Notice kind="error">{describeErrorIn(t, exportError, 'connector.consumption')}</Notice>
      ) : null}
      {report.error ? (
        <Notice kind="error">{describeErrorIn(t, report.error, 'connector.consumption')}</Notice>
      ) : null}
      {!report.data && report.loading && <p className="loading">{t('connector.consumption.loading')}</p>}

      {report.data && rows.length === 0 && (
        <section className="empty-state" aria-live="polite">
          <p>{t('connector.consumption.empty')}</p>
        </section>
      )}

      {rows.length > 0 && (
        <>
          <section className="card" aria-labelledby="consumption-chart">
            <h2 id="consumption-chart">{t('connector.consumption.chartTitle')}</h2>
            <figure
              role="img"
              aria-label={t('connector.consumption.chartLabel')}
              data-testid="consumption-chart"
            >
              <ResponsiveContainer width="100%" height={300}>
                <BarChart data={chart.days} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
                  <CartesianGrid strokeDasharray="3 3" vertical={false} />
                  <XAxis dataKey="day" tickFormatter={formatDay} />
                  <YAxis allowDecimals={false} width={56} />
                  <Tooltip labelFormatter={(day) => formatDay(String(day))} />
                  <Legend />
                  {chart.systems.flatMap((system, i) => {
                    const [solid, light] = palette[i % palette.length]!;
                    return [
                      <Bar
                        key={`${system}-ok`}
                        dataKey={`s${i}ok`}
                        name={t('connector.consumption.succeeded', { system })}
                        stackId={system}
                        fill={solid}
                        isAnimationActive={false}
                      />,
                      <Bar
                        key={`${system}-failed`}
                        dataKey={`s${i}failed`}
                        name={t('connector.consumption.failed', { system })}
                        stackId={system}
                        fill={light}
                        isAnimationActive={false}
                      />,
                    ];
                  })}
                </BarChart>
              </ResponsiveContainer>
            </figure>
          </section>

          <section className="card" aria-labelledby="consumption-table">
            <h2 id="consumption-table">{t('connector.consumption.table.title')}</h2>
            <div className="table-wrap">
              <table className="data-table" aria-labelledby="consumption-table">
                <thead>
                  <tr>
                    <th scope="col">{t('connector.consumption.table.day')}</th>
                    <th scope="col">{t('connector.consumption.table.system')}</th>
                    <th scope="col">{t('connector.consumption.table.method')}</th>
                    <th scope="col" className="number">
                      {t('connector.consumption.table.calls')}
                    </th>
                    <th scope="col" className="number">
                      {t('connector.consumption.table.succeeded')}
                    </th>
                    <th scope="col" className="number">
                      {t('connector.consumption.table.failed')}
                    </th>
                    <th scope="col" className="number">
                      {t('connector.consumption.table.p95')}
                    </th>
                    <th scope="col" className="number">
                      {t('connector.consumption.table.bytesIn')}
                    </th>
                    <th scope="col" className="number">
                      {t('connector.consumption.table.bytesOut')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={`${r.day}-${r.system}-${r.method}`}>
                      <td>{formatDay(r.day)}</td>
                      <td>{r.system}</td>
                      <td className="connector-method">{r.method}</td>
                      <td className="number">{numbers.format(r.calls)}</td>
                      <td className="number">{numbers.format(r.succeeded)}</td>
                      <td className="number">{numbers.format(r.failed)}</td>
                      <td className="number">
                        {r.p95LatencyMs === null ? '—' : `${numbers.format(r.p95LatencyMs)} ms`}
                      </td>
                      <td className="number">{numbers.format(r.bytesIn)}</td>
                      <td className="number">{numbers.format(r.bytesOut)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </>
      )}
    </section>
  );
}
