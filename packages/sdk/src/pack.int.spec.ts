import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { newTenant, setWebhookSecret, testDatabase } from '../../../apps/api/test/fixtures.js';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const tsc = fileURLToPath(new URL('../../../node_modules/typescript/bin/tsc', import.meta.url));
const nodeTypes = fileURLToPath(new URL('../../../node_modules/@types', import.meta.url));

// What a user gets from the registry: `npm pack` of the package (its prepack compiles it),
// installed into an empty project with no network, used as a user would use it.
describe('the packed @orqestra/node', () => {
  let scratch = '';
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'orq-sdk-pack-'));
    await run('npm', ['pack', '--silent', '--pack-destination', scratch], { cwd: packageDir });
    const tarball = (await readdir(scratch)).find((name) => name.endsWith('.tgz'));
    if (!tarball) throw new Error('npm pack produced no tarball');
    await writeFile(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
    await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', `./${tarball}`], { cwd: scratch });
  }, 180_000);
  afterAll(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
    await testDatabase().close();
  });

  it('holds only the compiled ESM, its declarations and the README', async () => {
    const files = await readdir(join(scratch, 'node_modules/@orqestra/node'), { recursive: true });
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/index.d.ts');
    expect(files).toContain('README.md');
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files.some((f) => f.includes('spec'))).toBe(false);
  });

  it('triggers a signed event and mints a realtime token from a plain script', async () => {
    const tenant = await newTenant();
    const secret = await setWebhookSecret(tenant.tenantId);
    await writeFile(
      join(scratch, 'send.mjs'),
      [
        "import { Orqestra, OrqestraError } from '@orqestra/node';",
        'const [baseUrl, apiKey, webhookSecret] = process.argv.slice(2);',
        'const orqestra = new Orqestra({ baseUrl, apiKey, webhookSecret });',
        "const accepted = await orqestra.trigger({ eventType: 'global.info', eventId: 'packed-1', channels: ['PUSH'], payload: { userId: 'u-1' }, variables: { title: 'T', message: 'M' } });",
        "const token = await orqestra.createRealtimeToken('u-1');",
        "const refused = await new Orqestra({ baseUrl, apiKey }).trigger({ eventType: 'global.info', payload: { userId: 'u-1' } }).catch((e) => e instanceof OrqestraError && e.code);",
        'console.log(JSON.stringify({ accepted, channels: token.channels.length, refused }));',
      ].join('\n'),
    );
    const { stdout } = await run(process.execPath, ['send.mjs', inject('apiUrl'), tenant.apiKey, secret], { cwd: scratch });
    const result = JSON.parse(stdout) as { accepted: { success: boolean; eventId: string }; channels: number; refused: string };
    expect(result).toMatchObject({ accepted: { success: true, eventId: 'packed-1' }, refused: 'SIGNATURE_REQUIRED' });
    expect(result.channels).toBeGreaterThanOrEqual(1);
  });

  it('ships declarations a TypeScript user compiles against', async () => {
    await writeFile(
      join(scratch, 'use.ts'),
      [
        "import { Orqestra, type EventAccepted } from '@orqestra/node';",
        "const orqestra = new Orqestra({ baseUrl: 'http://127.0.0.1:3000', apiKey: 'oq_live_x' });",
        "export const ok: Promise<EventAccepted> = orqestra.trigger({ eventType: 'order.shipped', payload: { userId: 'u-1' } });",
        '// @ts-expect-error payload.userId is required',
        "export const bad = orqestra.trigger({ eventType: 'order.shipped', payload: {} });",
      ].join('\n'),
    );
    const args = [
      '--noEmit',
      '--strict',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--target',
      'es2022',
      '--typeRoots',
      nodeTypes,
      '--types',
      'node',
      'use.ts',
    ];
    await expect(run(process.execPath, [tsc, ...args], { cwd: scratch })).resolves.toBeDefined();
  }, 120_000);
});
