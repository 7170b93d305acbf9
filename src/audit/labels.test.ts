import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit as labels } from '../../web/src/i18n/pt-BR/audit.ts';

/** Every action the server records and its target type, read from the sources' `action: 'target.verb'` lines. */
function recorded(): { actions: Set<string>; targets: Set<string> } {
  const actions = new Set<string>();
  const targets = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (/\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name)) {
        const text = fs.readFileSync(file, 'utf8');
        for (const line of text.split('\n').filter((l) => /\baction: /.test(l))) {
          for (const m of line.matchAll(/'([a-z_]+)\.([a-z_]+)'/g)) {
            actions.add(`${m[1]}.${m[2]}`);
            targets.add(m[1]!);
          }
        }
      }
    }
  };
  walk('src');
  return { actions, targets };
}

describe('the Auditoria screen', () => {
  it('has a Portuguese label for every action and target the server records', () => {
    const { actions, targets } = recorded();
    expect(actions.size).toBeGreaterThan(20);
    const byTarget = labels.actions as Record<string, Record<string, string>>;
    const missing = [...actions].filter((a) => {
      const [target, verb] = a.split('.') as [string, string];
      return !byTarget[target]?.[verb];
    });
    expect(missing).toEqual([]);
    const targetLabels = labels.targets as Record<string, string>;
    expect([...targets].filter((t) => !targetLabels[t])).toEqual([]);
  });
});
