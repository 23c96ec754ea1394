import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseOptions, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

// The import rules of `npm run lint` (.dependency-cruiser.cjs, docs/dependency-rules.md), each
// run against a small tree under fixtures/<rule name>/ that breaks exactly that rule. The trees
// are laid out like the repository and cruised from their own root, so the real rules apply to
// them unchanged; a rule that is deleted or loosened makes its case here fail.
const root = fileURLToPath(new URL('../../', import.meta.url));
const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

let realOptions: ICruiseOptions;
beforeAll(async () => {
  realOptions = await extractDepcruiseOptions(`${root}.dependency-cruiser.cjs`);
});

interface Finding {
  rule: string;
  from: string;
  to: string;
}

/** Cruises one fixture tree with the real rules; returns every violation, by rule name. */
async function check(fixture: string): Promise<Finding[]> {
  const baseDir = `${fixtures}${fixture}`;
  const tsConfigFile = `${baseDir}/tsconfig.json`;
  const hasTsConfig = existsSync(tsConfigFile);
  const options: ICruiseOptions = {
    ...realOptions,
    baseDir,
    // The fixture's own workspace paths (@orqestra/x → its packages/x/src), if it uses any.
    tsConfig: hasTsConfig ? { fileName: tsConfigFile } : undefined,
  };
  const starts = readdirSync(baseDir).filter((entry) => entry === 'apps' || entry === 'packages');
  const { output } = await cruise(starts, options, {}, hasTsConfig ? { tsConfig: extractTSConfig(tsConfigFile) } : {});
  const result = output as ICruiseResult;
  return result.summary.violations.map((violation) => ({ rule: violation.rule.name, from: violation.from, to: violation.to }));
}

const rulesOf = (findings: Finding[]) => [...new Set(findings.map((finding) => finding.rule))];

describe('the import rules of npm run lint', () => {
  it('every rule in the config has a fixture that breaks it, and every fixture names a rule', () => {
    const names = (realOptions.ruleSet?.forbidden ?? []).map((rule) => rule.name ?? '');
    const trees = readdirSync(fixtures).filter((entry) => entry !== 'clean' && entry !== 'resolution');
    expect(names.sort()).toEqual(trees.sort());
    expect(names).toHaveLength(8);
  });

  it('a tree that keeps every rule passes', async () => {
    expect(await check('clean')).toEqual([]);
  });

  it('no-package-imports-app: a package importing an app fails', async () => {
    expect(await check('no-package-imports-app')).toEqual([
      { rule: 'no-package-imports-app', from: 'packages/bus/src/producer.ts', to: 'apps/api/src/config.ts' },
    ]);
  });

  it('no-app-imports-another-app: the API and the gateway importing each other, and the console importing the API, all fail', async () => {
    const findings = await check('no-app-imports-another-app');
    expect(rulesOf(findings)).toEqual(['no-app-imports-another-app']);
    expect(findings.map(({ from, to }) => `${from} → ${to}`).sort()).toEqual([
      'apps/admin/src/app/page.tsx → apps/api/src/config.ts',
      'apps/api/src/events/trigger.service.ts → apps/gateway/src/retry/policy.ts',
      'apps/gateway/src/main.ts → apps/api/src/config.ts',
    ]);
  });

  it('no-providers-import-db: a provider adapter importing @orqestra/db fails', async () => {
    expect(await check('no-providers-import-db')).toEqual([
      { rule: 'no-providers-import-db', from: 'packages/providers/src/resend/adapter.ts', to: 'packages/db/src/index.ts' },
    ]);
  });

  it('contracts-only-zod: contracts importing another package fails; zod, its own files and its tests do not', async () => {
    expect(await check('contracts-only-zod')).toEqual([
      { rule: 'contracts-only-zod', from: 'packages/contracts/src/index.ts', to: 'packages/crypto/src/index.ts' },
    ]);
  });

  it('contracts-no-node-builtins: contracts importing node:crypto fails', async () => {
    const findings = await check('contracts-no-node-builtins');
    expect(rulesOf(findings)).toEqual(['contracts-no-node-builtins']);
    expect(findings.map((finding) => finding.from)).toEqual(['packages/contracts/src/realtime.ts']);
  });

  it('kysely-only-in-repositories: a service importing kysely fails; a repository, packages/db and a spec do not', async () => {
    const findings = await check('kysely-only-in-repositories');
    expect(rulesOf(findings)).toEqual(['kysely-only-in-repositories']);
    expect(findings.map((finding) => finding.from)).toEqual(['apps/api/src/features/templates/template.service.ts']);
  });

  it('no-platform-imports-features: the API platform importing a feature fails', async () => {
    expect(await check('no-platform-imports-features')).toEqual([
      {
        rule: 'no-platform-imports-features',
        from: 'apps/api/src/platform/openapi/docs.controller.ts',
        to: 'apps/api/src/features/events/events.openapi.ts',
      },
    ]);
  });

  it('no-circular: two files importing each other fail, even when one side imports only a type', async () => {
    // Reported once per cycle, at the edge that closes it.
    expect(await check('no-circular')).toEqual([
      { rule: 'no-circular', from: 'packages/bus/src/producer.ts', to: 'packages/bus/src/topics.ts' },
    ]);
  });

  it('the real tsconfig resolves every workspace name to the package sources, so the package rules see its edges', async () => {
    const tsConfigFile = realOptions.tsConfig?.fileName ?? '';
    const { output } = await cruise(
      ['infra/lint/fixtures/resolution/probe.ts'],
      { ...realOptions, baseDir: root, exclude: undefined, doNotFollow: { path: '^(apps|packages)/|node_modules' }, validate: false },
      {},
      { tsConfig: extractTSConfig(tsConfigFile) },
    );
    const probe = (output as ICruiseResult).modules.find((module) => module.source === 'infra/lint/fixtures/resolution/probe.ts');
    expect(Object.fromEntries((probe?.dependencies ?? []).map((dependency) => [dependency.module, dependency.resolved]))).toEqual({
      '@orqestra/contracts': 'packages/contracts/src/index.ts',
      '@orqestra/node': 'packages/sdk/src/index.ts',
      '@orqestra/inbox': 'packages/inbox/browser/index.ts',
      '@orqestra/inbox/react': 'packages/inbox/browser/react.ts',
    });
  });
});

describe('the eslint halves of the rules (what an import graph cannot see)', () => {
  const eslint = new ESLint({ cwd: root });
  const messagesOf = async (code: string, filePath: string) => {
    const [result] = await eslint.lintText(code, { filePath: `${root}${filePath}` });
    return (result?.messages ?? []).map((message) => message.ruleId);
  };

  it('contracts: Node globals (Buffer, process, require) fail; TextEncoder does not', async () => {
    const file = 'packages/contracts/src/probe.ts';
    expect(await messagesOf("export const n = Buffer.byteLength('é', 'utf8');\n", file)).toEqual(['no-restricted-globals']);
    expect(await messagesOf('export const p = process.platform;\n', file)).toEqual(['no-restricted-globals']);
    expect(await messagesOf("export const r = require('zod');\n", file)).toContain('no-restricted-globals');
    expect(await messagesOf("export const n = new TextEncoder().encode('é').length;\n", file)).toEqual([]);
  });

  it('contracts: a node: import fails', async () => {
    expect(await messagesOf("export { createHash } from 'node:crypto';\n", 'packages/contracts/src/probe.ts')).toEqual([
      'no-restricted-imports',
    ]);
  });

  it('query building through a transaction handle is reported in a service, not in a repository', async () => {
    const code = "export const find = (tx: { selectFrom(table: string): unknown }) => tx.selectFrom('templates');\n";
    expect(await messagesOf(code, 'apps/api/src/features/templates/template.service.ts')).toEqual(['no-restricted-properties']);
    expect(await messagesOf(code, 'apps/api/src/features/templates/template.repository.ts')).toEqual([]);
  });
});
