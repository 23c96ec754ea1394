/**
 * What each actor type may do beyond plain tenant isolation (README, "Actors"): the operator
 * across tenants or confined to one, the narrow system actor, the column guards, the
 * operators table and the SECURITY DEFINER look-ups.
 */
import { randomUUID } from 'node:crypto';
import { stackEnv } from '@orqestra/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRow, insertRow } from '../test/fixtures.js';
import {
  appDatabase,
  asActor,
  count,
  dropTenants,
  expectPgError,
  newTenants,
  randomSha256Hex,
  randomTag,
  TENANT_ACTORS,
} from '../test/helpers.js';
import { authAdminSession, authApiKey, authOperatorByUsername, authTenantAdminByEmail } from './auth-lookups.js';
import { withOperator, withSystem } from './context.js';
import { migrateToLatest } from './migrate.js';
import { insertOperator } from './operators.js';
import { insertApiKey, insertTenantAdmin, insertTenantWithApiKey } from './tenants.js';

await migrateToLatest(stackEnv().databaseOwnerUrl);
const database = appDatabase(4);
let tenantA = '';
let tenantB = '';
const logA = randomUUID();
const logB = randomUUID();
const providerA = randomUUID();

beforeAll(async () => {
  [tenantA = '', tenantB = ''] = await newTenants(database, 2);
  for (const [tenant, id] of [
    [tenantA, logA],
    [tenantB, logB],
  ] as const) {
    const row = { ...(await buildRow(database, 'notification_logs', tenant)), id };
    await asActor(database, tenant, 'system_tenant', (db) => insertRow(db, 'notification_logs', row));
  }
  const provider = { ...(await buildRow(database, 'provider_configs', tenantA)), id: providerA };
  await asActor(database, tenantA, 'tenant_admin', (db) => insertRow(db, 'provider_configs', provider));
});

afterAll(async () => {
  await dropTenants(database, [tenantA, tenantB].filter(Boolean));
  await database.close();
});

const logsOf = (ids: string[]) => sql`id in (${sql.join(ids)})`;

describe('operator', () => {
  it('with no tenant set reads across tenants', async () => {
    expect(await withOperator(database, 'db-tests', (tx) => count(tx.db, 'notification_logs', logsOf([logA, logB])))).toBe(2);
  });

  it('confined to a tenant sees only that tenant', async () => {
    const seen = await withOperator(database, 'db-tests', (tx) => count(tx.db, 'notification_logs', logsOf([logA, logB])), {
      tenantId: tenantA,
    });
    expect(seen).toBe(1);
  });

  it('creates tenants with their first API key, and tenant admins (the CLI primitives)', async () => {
    const keyHash = randomSha256Hex();
    const email = `Admin-${randomTag()}@Example.test`;
    const created = await withOperator(database, 'cli', async (tx) => {
      const { tenant, apiKey } = await insertTenantWithApiKey(tx, {
        name: `db-test ${randomTag()}`,
        apiKeyHash: keyHash,
        displayPrefix: 'oq_live_abcd',
        dailyCap: 5,
      });
      const admin = await insertTenantAdmin(tx, { tenantId: tenant.id, email, passwordHash: '$argon2id$x', role: 'viewer' });
      return { tenant, apiKey, admin };
    });
    expect(created.tenant).toMatchObject({
      status: 'active',
      rate_limit_per_minute: 600,
      burst: 100,
      daily_cap: 5,
      delivery_channels: ['EMAIL', 'SMS', 'PUSH'],
    });
    expect(created.apiKey).toMatchObject({ tenant_id: created.tenant.id, mode: 'live', status: 'active', key_hash: keyHash });

    const byKey = await authApiKey(database, keyHash);
    expect(byKey).toMatchObject({
      api_key_id: created.apiKey.id,
      tenant_id: created.tenant.id,
      tenant_status: 'active',
      daily_cap: 5,
      webhook_secret_ciphertext: null,
    });
    const byEmail = await authTenantAdminByEmail(database, email.toLowerCase());
    expect(byEmail).toMatchObject({
      tenant_admin_id: created.admin.id,
      tenant_id: created.tenant.id,
      role: 'viewer',
      must_change_password: true,
      tenant_status: 'active',
    });
    await dropTenants(database, [created.tenant.id]);
  });

  it('cannot create a tenant while confined to one', async () => {
    await expectPgError(
      withOperator(database, 'db-tests', (tx) => insertRow(tx.db, 'tenants', { id: randomUUID(), name: 'nope' }), { tenantId: tenantA }),
      '42501',
    );
  });

  it('alone can read and write the operators table', async () => {
    const username = `op-${randomTag()}`;
    const operator = await withOperator(database, 'cli', (tx) => insertOperator(tx, { username, passwordHash: '$argon2id$x' }));
    for (const actor of TENANT_ACTORS.filter((a) => a !== 'operator')) {
      expect(await asActor(database, tenantA, actor, (db) => count(db, 'operators', sql`id = ${operator.id}`))).toBe(0);
    }
    expect(await withSystem(database, 'db-tests', (tx) => count(tx.db, 'operators', sql`id = ${operator.id}`))).toBe(0);
    expect(await authOperatorByUsername(database, username.toUpperCase())).toEqual({
      operator_id: operator.id,
      password_hash: '$argon2id$x',
      status: 'active',
      must_change_password: true,
    });
  });
});

describe('tenant actors on their tenants row', () => {
  it.each(TENANT_ACTORS.filter((a) => a !== 'operator'))('%s may set the webhook secret but not limits or status', async (actor) => {
    await asActor(database, tenantA, actor, (db) =>
      db.updateTable('tenants').set({ webhook_secret_ciphertext: 'k1:secret', updated_at: new Date() }).where('id', '=', tenantA).execute(),
    );
    const status = await expectPgError(
      asActor(database, tenantA, actor, (db) =>
        db.updateTable('tenants').set({ status: 'active', daily_cap: 1_000_000_000 }).where('id', '=', tenantA).execute(),
      ),
      '42501',
    );
    expect(status.message).toContain('daily_cap');
  });

  it('an operator confined to the tenant may change everything on its row', async () => {
    await withOperator(
      database,
      'db-tests',
      (tx) => tx.db.updateTable('tenants').set({ daily_cap: 1234 }).where('id', '=', tenantA).execute(),
      {
        tenantId: tenantA,
      },
    );
    expect((await authApiKeyTenant(tenantA))?.daily_cap).toBe(1234);
  });
});

async function authApiKeyTenant(tenantId: string) {
  const keyHash = randomSha256Hex();
  await withOperator(database, 'db-tests', (tx) => insertApiKey(tx, { tenantId, keyHash, displayPrefix: 'oq_live_wxyz' }));
  return authApiKey(database, keyHash);
}

describe('system (cross-tenant background work)', () => {
  it('reads delivery logs of every tenant and moves their schedule', async () => {
    await withSystem(database, 'sweeper', async (tx) => {
      expect(await count(tx.db, 'notification_logs', logsOf([logA, logB]))).toBe(2);
      const result = await tx.db
        .updateTable('notification_logs')
        .set({ status: 'RETRYING', next_attempt_at: new Date(), lease_version: 1, updated_at: new Date() })
        .where('id', 'in', [logA, logB])
        .executeTakeFirst();
      expect(result.numUpdatedRows).toBe(2n);
    });
  });

  it('may not change any other column of a delivery log, nor insert or delete one', async () => {
    const error = await expectPgError(
      withSystem(database, 'sweeper', (tx) =>
        tx.db.updateTable('notification_logs').set({ recipient: 'someone@else.test' }).where('id', '=', logA).execute(),
      ),
      '42501',
    );
    expect(error.message).toContain('recipient');
    const row = await buildRow(database, 'notification_logs', tenantA);
    await expectPgError(
      withSystem(database, 'sweeper', (tx) => insertRow(tx.db, 'notification_logs', row)),
      '42501',
    );
    const deleted = await withSystem(database, 'sweeper', (tx) =>
      tx.db.deleteFrom('notification_logs').where('id', '=', logA).executeTakeFirst(),
    );
    expect(deleted.numDeletedRows).toBe(0n);
  });

  it('re-encrypts provider credentials but cannot touch other provider settings', async () => {
    await withSystem(database, 'reencrypt', (tx) =>
      tx.db.updateTable('provider_configs').set({ credentials_ciphertext: 'k2:re-encrypted' }).where('id', '=', providerA).execute(),
    );
    await expectPgError(
      withSystem(database, 'reencrypt', (tx) =>
        tx.db.updateTable('provider_configs').set({ base_url_override: 'https://evil.test' }).where('id', '=', providerA).execute(),
      ),
      '42501',
    );
  });

  it('re-encrypts webhook secrets but cannot change anything else of a tenant', async () => {
    await withSystem(database, 'reencrypt', (tx) =>
      tx.db.updateTable('tenants').set({ webhook_secret_ciphertext: 'k2:x' }).where('id', '=', tenantB).execute(),
    );
    await expectPgError(
      withSystem(database, 'reencrypt', (tx) =>
        tx.db.updateTable('tenants').set({ status: 'suspended' }).where('id', '=', tenantB).execute(),
      ),
      '42501',
    );
  });

  it.each([
    'events',
    'api_keys',
    'tenant_admins',
    'admin_sessions',
    'in_app_notifications',
    'sandbox_messages',
    'notification_attempts',
    'templates',
  ])('sees no tenant rows of %s', async (table) => {
    expect(await withSystem(database, 'sweeper', (tx) => count(tx.db, table, sql`tenant_id is not null`))).toBe(0);
  });
});

describe('SECURITY DEFINER look-ups', () => {
  it('return nothing for unknown or malformed input, without querying for the latter', async () => {
    expect(await authApiKey(database, randomSha256Hex())).toBeUndefined();
    expect(await authApiKey(database, 'not-a-hash')).toBeUndefined();
    expect(await authTenantAdminByEmail(database, `nobody-${randomTag()}@example.test`)).toBeUndefined();
    expect(await authAdminSession(database, randomSha256Hex())).toBeUndefined();
  });

  it('find a refresh session, and leave the caller context as it was', async () => {
    const tokenHash = randomSha256Hex();
    const row: Record<string, unknown> = { ...(await buildRow(database, 'admin_sessions', tenantA)), token_hash: tokenHash };
    await asActor(database, tenantA, 'tenant_admin', (db) => insertRow(db, 'admin_sessions', row));
    expect(await authAdminSession(database, tokenHash)).toMatchObject({
      session_id: row.id,
      tenant_id: tenantA,
      subject_type: 'tenant_admin',
      role: 'admin',
    });

    const after = await asActor(database, tenantA, 'api_key', async (db) => {
      await sql`select * from auth_admin_session(${tokenHash})`.execute(db);
      const { rows } = await sql<{ actor: string }>`select current_setting('app.actor_type', true) as actor`.execute(db);
      return rows[0]?.actor;
    });
    expect(after).toBe('api_key');
  });
});
