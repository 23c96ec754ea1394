import { randomUUID } from 'node:crypto';
import { pollUntil, stackEnv } from '@orqestra/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRow, insertRow } from '../test/fixtures.js';
import { appDatabase, count, dropTenants, newTenants } from '../test/helpers.js';
import { InvalidContextError } from './context-statement.js';
import { TransactionAbortedError, withTenant, type TenantContext, type TenantTx } from './context.js';
import { migrateToLatest } from './migrate.js';

await migrateToLatest(stackEnv().databaseOwnerUrl);
const database = appDatabase(4);
let tenantA = '';
let tenantB = '';
const ctx = (tenantId: string): TenantContext => ({ tenantId, actorType: 'system_tenant', actorId: 'worker' });

beforeAll(async () => {
  [tenantA = '', tenantB = ''] = await newTenants(database, 2);
});

afterAll(async () => {
  await dropTenants(database, [tenantA, tenantB].filter(Boolean));
  await database.close();
});

async function eventRow(tenantId: string) {
  return buildRow(database, 'events', tenantId);
}

describe('withTenant', () => {
  it('sets tenant, actor type and actor id for the transaction only', async () => {
    const inside = await withTenant(database, { tenantId: tenantA, actorType: 'api_key', actorId: 'key-1' }, async (tx) => {
      const { rows } = await sql<{ tenant: string; actor: string; id: string }>`
        select current_setting('app.current_tenant_id', true) as tenant, current_setting('app.actor_type', true) as actor,
               current_setting('app.actor_id', true) as id`.execute(tx.db);
      return rows[0];
    });
    expect(inside).toEqual({ tenant: tenantA, actor: 'api_key', id: 'key-1' });
  });

  it('commits when the work resolves', async () => {
    const row = await eventRow(tenantA);
    await withTenant(database, ctx(tenantA), (tx) => insertRow(tx.db, 'events', row));
    expect(await withTenant(database, ctx(tenantA), (tx) => count(tx.db, 'events', sql`id = ${row.id}`))).toBe(1);
  });

  it('rolls back and rethrows when the work throws', async () => {
    const row = await eventRow(tenantA);
    const failure = new Error('boom');
    await expect(
      withTenant(database, ctx(tenantA), async (tx) => {
        await insertRow(tx.db, 'events', row);
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await withTenant(database, ctx(tenantA), (tx) => count(tx.db, 'events', sql`id = ${row.id}`))).toBe(0);
  });

  it('refuses to report success when a failed statement was swallowed inside', async () => {
    const row = await eventRow(tenantA);
    await expect(
      withTenant(database, ctx(tenantA), async (tx) => {
        await insertRow(tx.db, 'events', row);
        await sql`select 1/0`.execute(tx.db).catch(() => undefined);
        return 'looks fine';
      }),
    ).rejects.toBeInstanceOf(TransactionAbortedError);
    expect(await withTenant(database, ctx(tenantA), (tx) => count(tx.db, 'events', sql`id = ${row.id}`))).toBe(0);
  });

  it('releases the connection every time, and leaves no setting behind on it', async () => {
    const single = appDatabase(1);
    try {
      await expect(withTenant(single, ctx(tenantA), async () => Promise.reject(new Error('x')))).rejects.toThrow('x');
      await withTenant(single, ctx(tenantB), async () => undefined);
      expect({ total: single.pool.totalCount, idle: single.pool.idleCount }).toEqual({ total: 1, idle: 1 });
      const { rows } = await single.pool.query(
        `select current_setting('app.current_tenant_id', true) as tenant, current_setting('app.actor_type', true) as actor`,
      );
      expect(rows[0]).toEqual({ tenant: '', actor: '' });
    } finally {
      await single.close();
    }
  });

  it('makes the handle unusable once the unit of work has ended', async () => {
    let escaped: TenantTx | undefined;
    await withTenant(database, ctx(tenantA), async (tx) => {
      escaped = tx;
    });
    await expect(escaped!.db.selectFrom('events').selectAll().execute()).rejects.toThrow(/no longer usable/);
  });

  it('rejects a malformed context before taking a connection', async () => {
    const fresh = appDatabase(1);
    try {
      const bad: TenantContext[] = [
        { tenantId: `${tenantA}'; --`, actorType: 'tenant_admin', actorId: 'x' },
        { tenantId: tenantA, actorType: 'system' as never, actorId: 'x' },
        { tenantId: tenantA, actorType: 'tenant_admin', actorId: "x'" },
      ];
      for (const context of bad) {
        await expect(withTenant(fresh, context, async () => undefined)).rejects.toBeInstanceOf(InvalidContextError);
      }
      expect(fresh.pool.totalCount).toBe(0);
    } finally {
      await fresh.close();
    }
  });

  it('keeps concurrent units of work of different tenants apart', async () => {
    const rows = { [tenantA]: randomUUID(), [tenantB]: randomUUID() };
    for (const tenant of [tenantA, tenantB]) {
      const row = { ...(await eventRow(tenant)), id: rows[tenant] };
      await withTenant(database, ctx(tenant), (tx) => insertRow(tx.db, 'events', row));
    }
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? tenantA : tenantB)).map((tenant) =>
        withTenant(database, ctx(tenant), async (tx) => ({
          tenant,
          setting: (await sql<{ t: string }>`select current_setting('app.current_tenant_id', true) as t`.execute(tx.db)).rows[0]?.t,
          own: await count(tx.db, 'events', sql`id = ${rows[tenant]!}`),
          other: await count(tx.db, 'events', sql`id = ${rows[tenant === tenantA ? tenantB : tenantA]!}`),
        })),
      ),
    );
    for (const result of results) expect(result).toEqual({ tenant: result.tenant, setting: result.tenant, own: 1, other: 0 });
  });
});

describe('a connection that the server ends during a unit of work', () => {
  // A PostgreSQL restart (or a DBA's pg_terminate_backend) ends connections that are checked out
  // of the pool. pg-pool listens for errors only on idle clients; without a listener of our own,
  // the client's 'error' event was unhandled and took the whole process down.
  it('fails that unit of work only: no uncaught error, and the pool serves the next one', async () => {
    const uncaught: unknown[] = [];
    const record = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', record);
    try {
      const failed = withTenant(database, ctx(tenantA), async (tx) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(tx.db);
        // Another connection of the same role ends this one while it is checked out and idle.
        await database.pool.query('select pg_terminate_backend($1)', [rows[0]?.pid]);
        await pollUntil(
          () =>
            sql`select 1`.execute(tx.db).then(
              () => 'alive',
              () => 'gone',
            ),
          { until: (s) => s === 'gone', timeoutMs: 10_000, what: 'the terminated connection to fail' },
        );
        return 'unreachable';
      });
      await expect(failed).rejects.toThrow();
      const next = await withTenant(
        database,
        ctx(tenantA),
        async (tx) => (await sql<{ n: number }>`select 1 as n`.execute(tx.db)).rows[0]?.n,
      );
      expect(next).toBe(1);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', record);
    }
  });
});
