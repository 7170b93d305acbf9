/** One row of the consumption report, as the chart reads it. */
interface Row {
  day: string;
  system: string;
  calls: number;
  succeeded: number;
  failed: number;
}

/**
 * The chart's series: per day, each system's successes and failures summed over its methods, keyed by the
 * system's position (`s0ok`, `s0failed`) since a system's name may hold characters a data key cannot.
 * Days without calls are left out.
 */
export function callsPerDay(rows: readonly Row[]) {
  const systems = [...new Set(rows.map((r) => r.system))].sort();
  const byDay = new Map<string, Record<string, number | string>>();
  for (const r of rows) {
    const i = systems.indexOf(r.system);
    const day = byDay.get(r.day) ?? { day: r.day };
    day[`s${i}ok`] = Number(day[`s${i}ok`] ?? 0) + r.succeeded;
    day[`s${i}failed`] = Number(day[`s${i}failed`] ?? 0) + r.failed;
    byDay.set(r.day, day);
  }
  return { systems, days: [...byDay.values()].sort((a, b) => String(a.day).localeCompare(String(b.day))) };
}
