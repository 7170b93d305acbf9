import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { definitions } from './domain.ts';

const src = path.resolve(import.meta.dirname, '..');

/** The server's own code: every .ts under src/ but this context and the tests. */
function readers(): string {
  const texts: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const at = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (at !== path.join(src, 'parameters')) walk(at);
      } else if (
        entry.name.endsWith('.ts') &&
        !entry.name.includes('.test.') &&
        !entry.name.includes('test-support')
      )
        texts.push(fs.readFileSync(at, 'utf8'));
    }
  };
  walk(src);
  return texts.join('\n');
}

describe('the registry’s "honoured" marks', () => {
  const code = readers();
  // A flow reads a parameter by its code as a string literal (parameters.resolve(db, id, 'CODE')); a
  // mention in a comment or in a longer sentence does not count.
  const read = (c: string) => new RegExp(`['"\`]${c}['"\`]`).test(code);

  it.each(definitions.map((d) => [d.code, d.honoured] as const))('%s honoured: %s', (c, honoured) => {
    expect(
      read(c),
      honoured ? `${c} is marked honoured but nothing reads it` : `${c} is read: mark it honoured`,
    ).toBe(honoured);
  });
});
