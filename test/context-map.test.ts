import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contextEdges, renderContextMap } from '../scripts/context-map.ts';

describe('docs/context-map.md', () => {
  it('is what the imports draw (run `npm run docs:generate` after a context starts or stops using another)', () => {
    expect(fs.readFileSync('docs/context-map.md', 'utf8')).toBe(renderContextMap());
  });

  it('keeps fiscal below the flows that issue documents', () => {
    const fiscal = contextEdges().get('fiscal')!;
    expect(fiscal.has('orders') || fiscal.has('split')).toBe(false);
    expect(contextEdges().get('orders')!.has('fiscal')).toBe(true);
  });
});
