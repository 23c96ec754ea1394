// @ts-check
// The import rules of the codebase (issue 15), checked by `npm run lint` after eslint
// (`depcruise apps packages infra bench`). What each rule protects, and what to do when one
// fails, is in docs/dependency-rules.md. infra/lint/dependency-rules.spec.ts proves
// every rule fires on a deliberate violation (infra/lint/fixtures/<rule name>/).
//
// Paths in rules are relative to the folder the cruise starts from (the repository root), so a
// fixture tree laid out like the repository is judged by the same rules.

/** Test code arranges and inspects database state directly; only shipped code goes through repositories. */
const TEST_CODE = ['\\.spec\\.ts$', '^apps/[^/]+/test/', '^packages/[^/]+/test/', '^packages/testing/', '^infra/', '^bench/'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-package-imports-app',
      comment:
        'Dependencies point one way: apps import packages, never the reverse. A package that reached into an app ' +
        "would drag that app into every other process that uses the package. Exception: a package's " +
        "end-to-end tests (*.int.spec.ts, *.serial.spec.ts: the SDK's, against the running API) may create " +
        "their tenants with the API's test fixtures; they are never shipped.",
      severity: 'error',
      from: { path: '^packages/', pathNot: '\\.(int|serial)\\.spec\\.ts$' },
      to: { path: '^apps/' },
    },
    {
      name: 'no-app-imports-another-app',
      comment:
        'The API (apps/api), the gateway (apps/gateway) and the console (apps/admin) are separate processes: ' +
        'they share code only through packages/*, and the console reaches the API over HTTP with the types of ' +
        '@orqestra/contracts. An import across apps would ship one app inside another.',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'no-providers-import-db',
      comment:
        'Provider adapters speak only to their vendor and never touch the database: the gateway decides what is ' +
        'recorded. So packages/providers imports neither @orqestra/db nor a database driver.',
      severity: 'error',
      from: { path: '^packages/providers/' },
      to: { path: ['^packages/db/', '(^|/)node_modules/(kysely|pg)/'] },
    },
    {
      name: 'contracts-only-zod',
      comment:
        'packages/contracts is loaded by every process and by browsers (the console, the inbox component): it ' +
        'holds schemas and types, and depends on zod alone, so it stays small and safe to load anywhere.',
      severity: 'error',
      from: { path: '^packages/contracts/src/', pathNot: '\\.spec\\.ts$' },
      to: { pathNot: ['^packages/contracts/src/', '(^|/)node_modules/zod/'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'contracts-no-node-builtins',
      comment:
        'packages/contracts runs in browsers too, where node:crypto, node:buffer and the like do not exist ' +
        '(server-only hashing lives in @orqestra/crypto). Node globals (Buffer, process) are the eslint ' +
        "rule 'no-restricted-globals' on the same folder: an import graph cannot see them.",
      severity: 'error',
      from: { path: '^packages/contracts/src/', pathNot: '\\.spec\\.ts$' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'kysely-only-in-repositories',
      comment:
        'SQL is written only in packages/db and in *.repository.ts files, so services hold decisions and every ' +
        'statement of an aggregate sits in one place. Test code may arrange and read database state directly. Query ' +
        'building through a transaction handle (tx.selectFrom ...) needs no import: the eslint rule ' +
        "'no-restricted-properties' catches that half.",
      severity: 'error',
      from: { pathNot: ['^packages/db/', '\\.repository\\.ts$', ...TEST_CODE] },
      to: { path: '(^|/)node_modules/kysely/' },
    },
    {
      name: 'no-platform-imports-features',
      comment:
        'apps/api/src/platform is the plumbing every feature stands on (database, bus, auth, errors, OpenAPI); ' +
        'if it imported a feature, every feature would depend on every other through it. Features register ' +
        'their parts with the platform instead.',
      severity: 'error',
      from: { path: '^apps/api/src/platform/' },
      to: { path: '^apps/api/src/features/' },
    },
    {
      name: 'no-circular',
      comment:
        'A cycle makes the order modules load in matter (an import can be undefined at load time), and means ' +
        'neither side can be understood, tested or moved without the other. Type-only imports count too.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    // Build output, installed modules, generated code and the rule fixtures (checked by their spec,
    // not as part of the real tree) are not cruised.
    exclude: {
      path: [
        // (anchored: node_modules/<package>/dist/ must stay, or the edges into it vanish)
        '^(apps|packages)/[^/]+/dist/',
        '^apps/admin/\\.next/',
        '^apps/admin/cache/',
        '^packages/db/src/generated/',
        '^packages/sdk/src/generated/',
        '^infra/lint/fixtures/',
      ],
    },
    doNotFollow: { path: '(^|/)node_modules/' },
    // Count `import type` too: a type-only edge is still a dependency a reader has to follow.
    tsPreCompilationDeps: true,
    // Resolve @orqestra/* to the packages' sources (see the file for why).
    // (An absolute path: TypeScript resolves the file's `extends` wrongly from a relative one.)
    tsConfig: { fileName: `${__dirname}/infra/lint/tsconfig.depcruise.json` },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['types', 'import', 'require', 'node', 'default'],
      mainFields: ['types', 'typings', 'module', 'main'],
    },
    skipAnalysisNotInRules: true,
  },
};
