import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// `npm run lint` runs `prettier --check .` with the repository's .prettierrc.json: a file that is
// not formatted fails it. The deliberately unformatted file is written outside the tree (so the
// real check never sees it) and checked with the real config.
const root = fileURLToPath(new URL('../../', import.meta.url));
const prettier = `${root}node_modules/.bin/prettier`;

async function check(file: string): Promise<{ code: number; output: string }> {
  return promisify(execFile)(prettier, ['--check', '--config', `${root}.prettierrc.json`, '--ignore-path', '', file], { cwd: root }).then(
    (r) => ({ code: 0, output: r.stdout + r.stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, output: error.stdout + error.stderr }),
  );
}

describe('the formatter check of npm run lint', () => {
  it('is part of the lint script', async () => {
    const pkg = JSON.parse(await readFile(`${root}package.json`, 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.lint).toContain('prettier --check .');
  });

  it('fails on a file that is not formatted, naming it', async () => {
    const fixture = `${await mkdtemp(`${tmpdir()}/orq-format-`)}/unformatted.ts`;
    await writeFile(fixture, 'export function   unformatted( a:number,b :number ){return a+b}\n');
    const result = await check(fixture);
    expect(result.code).toBe(1);
    expect(result.output).toContain('unformatted.ts');
  });

  it('passes on a formatted file of the repository', async () => {
    expect((await check(`${root}infra/lint/format.spec.ts`)).code).toBe(0);
  });
});
