import type { ParseKeys } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type OrderStatus, orderStatuses } from '../api/types.ts';
import { Choices } from './choices.tsx';
import type { QueueFilters } from './queue-params.ts';

/**
 * The filters as a form: what the list shows is filled in (the default view's too), changed freely, and
 * applied with "Pesquisar" (or Enter), which turns auto refresh off.
 */
export function QueueFilterForm(props: {
  shown: QueueFilters;
  filtered: boolean;
  storeOptions: readonly { value: string; label: string }[];
  onApply(filters: QueueFilters): void;
  onClear(): void;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<QueueFilters>(props.shown);
  const [errors, setErrors] = useState<{ number?: string; to?: string }>({});
  const set = (change: Partial<QueueFilters>) => setDraft((d) => ({ ...d, ...change }));

  const statusOptions = orderStatuses.map((s) => ({ value: s, label: t(`statuses.${s}`) }));
  const summary = (
    values: readonly string[],
    options: readonly { value: string; label: string }[],
    all: string,
    many: ParseKeys,
  ) =>
    values.length === 0
      ? all
      : values.length <= 2
        ? values.map((v) => options.find((o) => o.value === v)?.label ?? v).join(', ')
        : t(many, { count: values.length });

  const apply = () => {
    const number = draft.number.trim();
    const next: typeof errors = {};
    if (number && !/^\d{1,10}$/.test(number)) next.number = t('orders.filters.invalidNumber');
    if (draft.from && draft.to && draft.to < draft.from) next.to = t('orders.filters.invalidPeriod');
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    // A number names the order: the clerk wants it whatever its status or day, so those are dropped.
    props.onApply(number ? { ...draft, number, statuses: [], from: '', to: '' } : { ...draft, number });
  };

  return (
    <form
      className="filters queue-filters"
      aria-label={t('orders.filters.legend')}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        apply();
      }}
    >
      <Choices
        label={t('orders.filters.status')}
        summary={summary(
          draft.statuses,
          statusOptions,
          t('orders.filters.allStatuses'),
          'orders.filters.statusSummary',
        )}
        options={statusOptions}
        selected={draft.statuses}
        onChange={(values) => set({ statuses: values as OrderStatus[] })}
      />
      <label className="field number-field">
        <span>{t('orders.filters.number')}</span>
        <input
          type="text"
          inputMode="numeric"
          value={draft.number}
          placeholder={t('orders.filters.numberPlaceholder')}
          maxLength={10}
          aria-invalid={errors.number ? true : undefined}
          aria-describedby={errors.number ? 'queue-number-error' : 'queue-number-hint'}
          onChange={(e) => set({ number: e.target.value })}
        />
        {!errors.number && draft.number.trim() !== '' && (
          <span id="queue-number-hint" className="hint">
            {t('orders.filters.numberIgnoresOthers')}
          </span>
        )}
        {errors.number && (
          <span id="queue-number-error" className="field-error">
            {errors.number}
          </span>
        )}
      </label>
      <label className="field">
        <span>{t('orders.filters.from')}</span>
        <input type="date" value={draft.from} onChange={(e) => set({ from: e.target.value })} />
      </label>
      <label className="field">
        <span>{t('orders.filters.to')}</span>
        <input
          type="date"
          value={draft.to}
          aria-invalid={errors.to ? true : undefined}
          aria-describedby={errors.to ? 'queue-to-error' : undefined}
          onChange={(e) => set({ to: e.target.value })}
        />
        {errors.to && (
          <span id="queue-to-error" className="field-error">
            {errors.to}
          </span>
        )}
      </label>
      {props.storeOptions.length > 1 && (
        <Choices
          label={t('orders.filters.stores')}
          summary={summary(
            draft.stores,
            props.storeOptions,
            t('orders.filters.allStores'),
            'orders.filters.storeSummary',
          )}
          options={props.storeOptions}
          selected={draft.stores}
          onChange={(values) => set({ stores: values })}
        />
      )}
      <label className="field checkbox-field">
        <input
          type="checkbox"
          checked={draft.addressIssue}
          onChange={(e) => set({ addressIssue: e.target.checked })}
        />
        <span title={t('orders.addressIssue.tooltip')}>{t('orders.addressIssue.filter')}</span>
      </label>
      <div className="filter-actions">
        <button type="submit" className="button primary">
          {t('orders.filters.apply')}
        </button>
        {props.filtered && (
          <button type="button" className="button" onClick={props.onClear}>
            {t('orders.filters.clear')}
          </button>
        )}
      </div>
    </form>
  );
}

/**
 * The per-status totals as counters: the orders of each status in the period and stores shown, whatever
 * the status filter. Pressing one shows only that status (or all of them).
 */
export function StatusCounters(props: {
  totals: Partial<Record<OrderStatus, number>>;
  shown: readonly OrderStatus[];
  onShow(status: OrderStatus | null): void;
}) {
  const { t } = useTranslation();
  const sum = orderStatuses.reduce((n, s) => n + (props.totals[s] ?? 0), 0);
  return (
    <nav className="tabs counters" aria-label={t('orders.totals.label')}>
      <button
        type="button"
        className="button counter"
        aria-pressed={props.shown.length === 0}
        aria-label={t('orders.totals.showAll', { count: sum })}
        onClick={() => props.onShow(null)}
      >
        {t('orders.totals.all')} <span className="count">{sum}</span>
      </button>
      {orderStatuses
        .filter((s) => (props.totals[s] ?? 0) > 0 || props.shown.includes(s))
        .map((s) => (
          <button
            key={s}
            type="button"
            className={`button counter counter-${s}`}
            aria-pressed={props.shown.includes(s)}
            aria-label={t('orders.totals.show', {
              status: t(`statuses.${s}`),
              count: props.totals[s] ?? 0,
            })}
            data-status={s}
            onClick={() => props.onShow(s)}
          >
            <span className={`dot status-${s}`} aria-hidden="true" />
            {t(`statuses.${s}`)} <span className="count">{props.totals[s] ?? 0}</span>
          </button>
        ))}
    </nav>
  );
}
