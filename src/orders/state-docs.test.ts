import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { transitions } from './domain.ts';
import { renderStateDocs } from './state-docs.ts';

describe('docs/order-states.md', () => {
  it('is what the transition table generates (run `npm run docs:generate` after changing the table)', () => {
    const committed = fs.readFileSync(new URL('../../docs/order-states.md', import.meta.url), 'utf8');
    expect(committed).toBe(renderStateDocs());
  });

  it('draws every edge of the table', () => {
    const doc = renderStateDocs();
    for (const t of transitions) expect(doc).toContain(`  ${t.from} --> ${t.to} : `);
  });
});
