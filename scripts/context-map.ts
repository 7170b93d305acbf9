import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The context map drawn from the code: an arrow from a context to each context whose service.ts (or, for a
 * foreign key, schema.ts) it imports. Tests are left out; platform/ is below everything and not drawn.
 */
const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src');
const crossing = /from '\.\.\/(?:\.\.\/)*([a-z]+)\/(service|schema)\.ts'/g;

function sourcesOf(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourcesOf(full);
    return e.name.endsWith('.ts') && !e.name.includes('.test') ? [full] : [];
  });
}

export function contextEdges(): Map<string, Set<string>> {
  const contexts = fs
    .readdirSync(src, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== 'platform')
    .map((e) => e.name)
    .sort();
  const edges = new Map(contexts.map((c) => [c, new Set<string>()]));
  for (const context of contexts)
    for (const file of sourcesOf(path.join(src, context)))
      for (const [, target] of fs.readFileSync(file, 'utf8').matchAll(crossing))
        if (target !== context && edges.has(target!)) edges.get(context)!.add(target!);
  return edges;
}

export function renderContextMap(): string {
  const edges = contextEdges();
  const lines = [
    '# Context map',
    '',
    'Generated from the imports by `npm run docs:generate` (a test fails when it is stale): an arrow from a',
    'context to each context whose `service.ts` (or, for a foreign key, `schema.ts`) it imports. `platform/`',
    'sits below every context and is not drawn; `app.ts` and `main.ts` compose them. Lower layers never point',
    'up: fiscal, stock, catalog and network know references, and the flows above register their handlers.',
    '',
    '```mermaid',
    'graph TD',
  ];
  for (const [from, targets] of edges)
    for (const to of [...targets].sort()) lines.push(`  ${from} --> ${to}`);
  for (const [context, targets] of edges)
    if (targets.size === 0 && ![...edges.values()].some((t) => t.has(context))) lines.push(`  ${context}`);
  lines.push('```', '');
  return lines.join('\n');
}
