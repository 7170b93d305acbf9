/**
 * The architecture, checked on every test run (docs/architecture.md):
 * - a domain.ts (of a context or of one of its sub-folders) is pure: it imports no database, HTTP or
 *   framework code;
 * - a context's sub-folder (fiscal/xml, fiscal/printing, ...) is reached from outside it only through its
 *   index.ts; the context's own public face stays src/<context>/service.ts;
 * - a context reaches another context only through that context's service.ts
 *   (schema.ts may reference another context's schema.ts for foreign keys);
 * - fiscal never depends on orders or split (they register their handlers with it);
 * - platform plumbing never depends on a business context.
 */
const contexts =
  '(access|network|parameters|catalog|stock|orders|sourcing|split|delivery|fulfilment|fiscal|finance|pos|integration|notifications|reports)';

module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'domain.ts holds types and rules only: no db, http, drizzle or fastify',
      severity: 'error',
      from: { path: ['^src/[^/]+/domain\\.ts$', '^src/[^/]+/[^/]+/domain\\.ts$'] },
      to: {
        path: [
          '^src/platform/(db|http|jobs)/',
          '(^|/)node_modules/(drizzle-orm|fastify|@fastify|pg|@electric-sql)/',
          '/(store|service|routes|schema)\\.ts$',
        ],
      },
    },
    {
      name: 'contexts-talk-through-services',
      comment: 'another context is reached only through its service.ts',
      severity: 'error',
      from: { path: `^src/${contexts}/` },
      to: {
        path: `^src/${contexts}/`,
        pathNot: ['^src/$1/', `^src/${contexts}/(service|schema)\\.ts$`],
      },
    },
    {
      name: 'sub-folders-talk-through-their-index',
      comment: "a context's root files reach its sub-folders only through their index.ts",
      severity: 'error',
      from: { path: `^src/${contexts}/[^/]+$` },
      to: { path: '^src/$1/[^/]+/', pathNot: '^src/$1/[^/]+/index\\.ts$' },
    },
    {
      name: 'sibling-sub-folders-talk-through-their-index',
      comment: "a context's sub-folder reaches a sibling sub-folder only through that one's index.ts",
      severity: 'error',
      from: { path: `^src/${contexts}/([^/]+)/` },
      to: { path: '^src/$1/[^/]+/', pathNot: ['^src/$1/$2/', '^src/$1/[^/]+/index\\.ts$'] },
    },
    {
      name: 'foreign-tables-only-for-foreign-keys',
      comment: 'only a schema.ts may import another context schema.ts',
      severity: 'error',
      from: { path: `^src/${contexts}/`, pathNot: '/schema\\.ts$' },
      to: { path: `^src/${contexts}/schema\\.ts$`, pathNot: '^src/$1/' },
    },
    {
      name: 'fiscal-below-orders',
      comment:
        'fiscal knows references, not orders: the order and the split register their handlers in app.ts',
      severity: 'error',
      from: { path: '^src/fiscal/' },
      to: { path: '^src/(orders|split)/' },
    },
    {
      name: 'platform-knows-no-context',
      severity: 'error',
      from: { path: '^src/platform/' },
      to: { path: `^src/${contexts}/` },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-test-code-in-production',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.test\\.ts$' },
      to: { path: ['^test/', '\\.test\\.ts$'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    // TypeScript 7 has no JavaScript compiler API; swc parses the sources instead.
    parser: 'swc',
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
