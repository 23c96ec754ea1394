import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { generateKey, parseKeyring, SecretBox } from '@orqestra/crypto';
import { createDatabase, insertProviderConfig, insertTenantWithApiKey, withOperator } from '@orqestra/db';
import { serviceEnv, stackEnv } from '@orqestra/testing';

// Serial: it rewrites every secret of a database, so nothing may be reading them meanwhile. It
// uses the gateway suites' database (their int phase is over by now).
const CLI = fileURLToPath(new URL('../../../dist/main.cli.js', import.meta.url));
const database = createDatabase(stackEnv().gatewayDatabaseUrl, { max: 2 });
afterAll(() => database.close());

describe('credentials re-encrypt', () => {
  it('moves every secret to the new active key; the old key can then be removed', async () => {
    const oldKeys = stackEnv().raw.CREDENTIALS_KEYS ?? '';
    const rotated = `${oldKeys},k${Date.now()}:${generateKey()}`;
    const newId = rotated.split(',').at(-1)!.split(':')[0]!;
    const oldBox = new SecretBox(parseKeyring(oldKeys));
    const { tenant } = await withOperator(database, 'tests', (tx) =>
      insertTenantWithApiKey(tx, {
        name: `rot-${randomUUID()}`,
        apiKeyHash: randomUUID().replaceAll('-', '').padEnd(64, 'a'),
        displayPrefix: 'oq_live_rot',
      }),
    );
    const configId = randomUUID();
    await withOperator(
      database,
      'tests',
      (tx) =>
        insertProviderConfig(tx, {
          id: configId,
          channel: 'SMS',
          provider: 'twilio',
          credentialsCiphertext: oldBox.encrypt('{"authToken":"tok"}', {
            purpose: 'provider_credentials',
            tenantId: tenant.id,
            rowId: configId,
          }),
          credentialsLast4: 'tok',
        }),
      { tenantId: tenant.id },
    );
    await withOperator(database, 'tests', (tx) =>
      tx.db
        .updateTable('tenants')
        .set({ webhook_secret_ciphertext: oldBox.encrypt('whsec', { purpose: 'webhook_secret', tenantId: tenant.id, rowId: tenant.id }) })
        .where('id', '=', tenant.id)
        .execute(),
    );

    const env = serviceEnv({ DATABASE_URL: stackEnv().gatewayDatabaseUrl, CREDENTIALS_KEYS: rotated });
    const run = async (args: string[]) =>
      promisify(execFile)('node', [CLI, 'credentials', 're-encrypt', ...args], { env }).then(
        (r) => ({ code: 0, out: r.stdout }),
        (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
      );
    const dry = await run(['--dry-run']);
    expect(dry.out).toMatch(/would be re-encrypted/);
    const real = await run([]);
    expect(real.out).toMatch(new RegExp(`re-encrypted to key ${newId}`));

    const rows = await withOperator(
      database,
      'tests',
      async (tx) => ({
        config: await tx.db
          .selectFrom('provider_configs')
          .select('credentials_ciphertext')
          .where('id', '=', configId)
          .executeTakeFirstOrThrow(),
        tenant: await tx.db.selectFrom('tenants').select('webhook_secret_ciphertext').where('id', '=', tenant.id).executeTakeFirstOrThrow(),
      }),
      { tenantId: tenant.id },
    );
    // Readable with the new key alone: the old one can leave CREDENTIALS_KEYS.
    const newOnly = new SecretBox(parseKeyring(rotated.split(',').at(-1)!));
    expect(
      newOnly.decrypt(rows.config.credentials_ciphertext, { purpose: 'provider_credentials', tenantId: tenant.id, rowId: configId }),
    ).toBe('{"authToken":"tok"}');
    expect(
      newOnly.decrypt(rows.tenant.webhook_secret_ciphertext!, { purpose: 'webhook_secret', tenantId: tenant.id, rowId: tenant.id }),
    ).toBe('whsec');
    // A second run finds nothing left to do for these rows.
    expect((await run(['--dry-run'])).out).toMatch(/ 0 would be re-encrypted/);
  });
});
