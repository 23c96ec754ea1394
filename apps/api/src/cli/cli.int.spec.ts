import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { verify } from '@node-rs/argon2';
import { afterAll, describe, expect, it } from 'vitest';
import { authApiKey, authOperatorByUsername, createDatabase, withOperator } from '@orqestra/db';
import { stackEnv } from '@orqestra/testing';
import { hashApiKey } from '../platform/api-keys.js';

// The built CLI, as a user runs it (npm test builds before running the suites).
const CLI = fileURLToPath(new URL('../../dist/main.cli.js', import.meta.url));
const env = stackEnv();
const cliEnv = { ...env.raw, DATABASE_URL: env.databaseUrl, DATABASE_OWNER_URL: env.databaseOwnerUrl, PATH: process.env.PATH ?? '' };

async function orqestra(args: string[], extraEnv: Record<string, string | undefined> = cliEnv) {
  try {
    const { stdout, stderr } = await promisify(execFile)('node', [CLI, ...args], { env: extraEnv as NodeJS.ProcessEnv });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('the orqestra CLI', () => {
  const database = createDatabase(env.databaseUrl, { max: 2 });
  afterAll(() => database.close());

  it('tenant create --json prints the tenant id and a live API key that authenticates as that tenant', async () => {
    const name = `cli-test-${randomUUID()}`;
    const result = await orqestra(['tenant', 'create', '--name', name, '--json']);
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout) as { tenantId: string; apiKey: string };
    expect(Object.keys(printed).sort()).toEqual(['apiKey', 'tenantId']);
    expect(printed.apiKey).toMatch(/^oq_live_/);
    const auth = await authApiKey(database, hashApiKey(printed.apiKey));
    expect(auth).toMatchObject({ tenant_id: printed.tenantId, mode: 'live', key_status: 'active', tenant_status: 'active' });

    // Only the hash is stored, and the creation is audited without the key.
    const rows = await withOperator(database, 'cli-test', async (tx) => ({
      keys: await tx.db.selectFrom('api_keys').selectAll().where('tenant_id', '=', printed.tenantId).execute(),
      audit: await tx.db.selectFrom('audit_logs').selectAll().where('tenant_id', '=', printed.tenantId).execute(),
    }));
    expect(JSON.stringify(rows)).not.toContain(printed.apiKey);
    expect(rows.audit.map((a) => [a.action, a.actor_type, a.actor_id])).toEqual([['tenant.create', 'operator', 'cli']]);
  });

  it('operator create stores an argon2id hash and forces a password change at first login', async () => {
    const username = `op-${randomUUID().slice(0, 8)}`;
    const result = await orqestra(['operator', 'create', '--username', username]);
    expect(result.code).toBe(0);
    const temporary = /temporary password\s+(\S+)/.exec(result.stdout)?.[1];
    expect(temporary).toBeDefined();
    const row = await authOperatorByUsername(database, username);
    expect(row?.must_change_password).toBe(true);
    expect(row?.password_hash).toMatch(/^\$argon2id\$/);
    expect(await verify(row!.password_hash, temporary!)).toBe(true);
    // The same username (any case) cannot be taken twice.
    const again = await orqestra(['operator', 'create', '--username', username.toUpperCase(), '--password', 'another-long-password']);
    expect(again.code).toBe(1);
  });

  it('provider add stores credentials encrypted, lists them masked, and refuses private base URLs without the development flag', async () => {
    const created = JSON.parse((await orqestra(['tenant', 'create', '--name', `prov-${randomUUID()}`, '--json'])).stdout) as {
      tenantId: string;
    };
    const file = join(mkdtempSync(join(tmpdir(), 'orq-')), 'resend.json');
    const apiKey = `re_${randomUUID().replaceAll('-', '')}`;
    writeFileSync(file, JSON.stringify({ apiKey, fromAddress: 'orders@shop.example' }));
    const base = ['provider', 'add', '--tenant', created.tenantId, '--channel', 'EMAIL', '--provider', 'resend', '--credentials', file];
    const refused = await orqestra([...base, '--base-url', 'https://127.0.0.1:4443']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/loopback or private/);
    // A new user trying a fake vendor on this machine learns that the development flag exists and what it allows.
    expect(refused.stderr).toMatch(/ALLOW_PRIVATE_PROVIDER_URLS=true.*http.*loopback/s);
    const loopbackHttp = await orqestra([...base, '--base-url', 'http://127.0.0.1:4443']);
    expect(loopbackHttp.stderr).toMatch(/https/);
    expect(loopbackHttp.stderr).toMatch(/ALLOW_PRIVATE_PROVIDER_URLS=true.*http.*loopback/s);
    expect((await orqestra([...base, '--base-url', 'http://api.resend.example'])).stderr).toMatch(/https/);
    const allowed = await orqestra([...base, '--base-url', 'http://127.0.0.1:4443', '--priority', '1'], {
      ...cliEnv,
      ALLOW_PRIVATE_PROVIDER_URLS: 'true',
    });
    expect(allowed.code).toBe(0);
    expect((await orqestra([...base, '--channel', 'SMS'])).stderr).toMatch(/delivers EMAIL/);
    const listed = await orqestra(['provider', 'list', '--tenant', created.tenantId]);
    expect(listed.stdout).toContain(`…${apiKey.slice(-4)}`);
    expect(listed.stdout + allowed.stdout).not.toContain(apiKey);
    const stored = await withOperator(
      database,
      'cli-test',
      (tx) => tx.db.selectFrom('provider_configs').selectAll().where('tenant_id', '=', created.tenantId).execute(),
      { tenantId: created.tenantId },
    );
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(apiKey);
    expect(stored[0]!.credentials_ciphertext).toMatch(/^v1\./);
  });

  it('refuses wrong usage with exit code 2 and says what is wrong', async () => {
    const missing = await orqestra(['tenant', 'create']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--name is required');
    const unknown = await orqestra(['tenant', 'explode']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command');
  });

  it('refuses to start without configuration, listing every missing variable', async () => {
    const result = await orqestra(['tenant', 'create', '--name', 'x'], { PATH: process.env.PATH ?? '' });
    expect(result.code).toBe(2);
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'KAFKA_BROKERS', 'CENTRIFUGO_URL']) expect(result.stderr).toContain(name);
  });
});
