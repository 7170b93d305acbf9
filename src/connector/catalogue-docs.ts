import { interfaceCatalogue } from './catalogue.ts';

/**
 * docs/interface-catalogue.md: the interfaces every network starts with, rendered from `catalogue.ts`
 * (`npm run docs:generate`; a test checks the file is current).
 */
export function renderCatalogueDocs(): string {
  const cells = [...interfaceCatalogue]
    .sort((a, b) => a.system.localeCompare(b.system) || a.code - b.code)
    .map((e) => [
      String(e.code),
      e.name,
      e.system,
      e.direction,
      `\`${e.method}\``,
      e.scheduleMinutes === null ? 'on demand' : `every ${e.scheduleMinutes} min`,
      e.active ? 'active' : 'inactive',
    ]);
  const header = ['code', 'name', 'system', 'direction', 'method', 'schedule', 'initially'];
  // Padded as the formatter pads Markdown tables, so `npx biome check` leaves the generated file alone.
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i]!)).join(' | ')} |`;
  return [
    '# The interface catalogue',
    '',
    '<!-- Generated from src/connector/catalogue.ts by `npm run docs:generate`; do not edit by hand. -->',
    '',
    'The integration interfaces every network is given (seed 000 §5.3, `InterfaceIntegracao`), with the period',
    'the seed lists and its initial state. None has an adapter: an admin binds one to a generic adapter on the',
    'Interfaces screen (see [connector.md](connector.md#interfaces-and-the-scheduler)).',
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...cells.map(line),
    '',
  ].join('\n');
}
