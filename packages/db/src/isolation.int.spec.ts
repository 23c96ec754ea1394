/**
 * Tenant isolation, generated from the catalog: every table of schema public with a tenant_id
 * column, plus tenants, gets the same cases, run as orqestra_app (the services' role). A table
 * added later is picked up automatically and fails here until it has forced RLS, policies and
 * a fixture builder (packages/db/test/fixtures.ts).
 */
import { stackEnv } from '@orqestra/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicRelations, rlsFlags, tenantTables, type TenantTable } from '../test/catalog.js';
import { buildRow, FIXTURES, insertRow } from '../test/fixtures.js';
import {
  affectedOrError,
  appDatabase,
  asActor,
  count,
  dropTenants,
  expectPgError,
  newTenants,
  ownerPool,
  rawCount,
  rawInsert,
  TENANT_ACTORS,
  withRawSettings,
} from '../test/helpers.js';
import { migrateToLatest } from './migrate.js';

await migrateToLatest(stackEnv().databaseOwnerUrl);
const owner = ownerPool();
const TABLES = await tenantTables(owner);
const PRIVILEGES = new Map((await publicRelations(owner)).map((relation) => [relation.table, relation.appPrivileges]));

const database = appDatabase(8);
let tenantA = '';
let tenantB = '';

beforeAll(async () => {
  [tenantA = '', tenantB = ''] = await newTenants(database, 2);
});

afterAll(async () => {
  await dropTenants(database, [tenantA, tenantB].filter(Boolean));
  await database.close();
  await owner.end();
});

it('finds the tenant tables in the catalog', () => {
  expect(TABLES.map((t) => t.table)).toEqual(expect.arrayContaining(['tenants', 'api_keys', 'notification_logs', 'audit_logs']));
});

describe.each(TABLES)('$table', (table: TenantTable) => {
  const name = table.table;
  const col = table.tenantColumn;
  const canUpdate = PRIVILEGES.get(name)?.includes('UPDATE') ?? false;
  const canDelete = PRIVILEGES.get(name)?.includes('DELETE') ?? false;
  let rowA: Record<string, unknown> = {};
  let rowB: Record<string, unknown> = {};

  /** A valid row of this table for `tenant`, inserted in that tenant's own context. */
  async function seed(tenant: string): Promise<Record<string, unknown>> {
    if (name === 'tenants') return { id: tenant };
    const row = await buildRow(database, name, tenant);
    await asActor(database, tenant, 'system_tenant', (db) => insertRow(db, name, row));
    return row;
  }

  beforeAll(async () => {
    rowA = await seed(tenantA);
    rowB = await seed(tenantB);
  });

  it('has row-level security enabled and forced', async () => {
    expect(await rlsFlags(owner, name)).toEqual({ enabled: true, forced: true });
  });

  it('has a fixture builder and a single-column primary key "id"', () => {
    expect(FIXTURES[name], `no fixture builder for ${name} in packages/db/test/fixtures.ts`).toBeDefined();
    expect(table.primaryKey).toEqual(['id']);
  });

  describe.each(TENANT_ACTORS)('as %s of tenant A', (actor) => {
    it('reads its own row and no row of another tenant', async () => {
      const seen = await asActor(database, tenantA, actor, async (db) => ({
        own: await count(db, name, sql`id = ${rowA.id}`),
        rowOfB: await count(db, name, sql`id = ${rowB.id}`),
        anyOtherTenant: await count(db, name, sql`${sql.ref(col)} is distinct from ${tenantA} and ${sql.ref(col)} is not null`),
      }));
      expect(seen).toEqual({ own: 1, rowOfB: 0, anyOtherTenant: 0 });
    });

    it("cannot update tenant B's row", async () => {
      const result = await affectedOrError(
        asActor(database, tenantA, actor, (db) =>
          sql`update ${sql.table(name)} set ${sql.ref(col)} = ${sql.ref(col)} where id = ${rowB.id}`.execute(db),
        ),
      );
      expect(result).toBe(canUpdate ? 0 : '42501');
    });

    it("cannot delete tenant B's row", async () => {
      const result = await affectedOrError(
        asActor(database, tenantA, actor, (db) => sql`delete from ${sql.table(name)} where id = ${rowB.id}`.execute(db)),
      );
      expect(result).toBe(canDelete ? 0 : '42501');
      expect(await asActor(database, tenantB, 'system_tenant', (db) => count(db, name, sql`id = ${rowB.id}`))).toBe(1);
    });

    it('cannot insert a row for tenant B', async () => {
      const row =
        name === 'tenants' ? await buildRow(database, name, tenantB) : { ...(await buildRow(database, name, tenantB)), [col]: tenantB };
      await expectPgError(
        asActor(database, tenantA, actor, (db) => insertRow(db, name, row)),
        '42501',
      );
    });

    if (name !== 'tenants') {
      it('cannot move its own row into tenant B', async () => {
        await expectPgError(
          asActor(database, tenantA, actor, (db) =>
            sql`update ${sql.table(name)} set tenant_id = ${tenantB} where id = ${rowA.id}`.execute(db),
          ),
          '42501',
        );
      });
    }
  });

  it('with no settings at all: reads return nothing, inserts fail', async () => {
    expect(await withRawSettings(database, null, (client) => rawCount(client, name))).toBe(0);
    const row = await buildRow(database, name, tenantA);
    await expectPgError(
      withRawSettings(database, null, (client) => rawInsert(client, name, row)),
      '42501',
    );
  });

  it("with the settings cleared to '' on a pooled connection after a tenant transaction: nothing", async () => {
    const row = await buildRow(database, name, tenantA);
    const client = await database.pool.connect();
    try {
      await client.query(
        `BEGIN; SELECT set_config('app.current_tenant_id', '${tenantA}', true), set_config('app.actor_type', 'tenant_admin', true)`,
      );
      expect(await rawCount(client, name, 'id = $1', [rowA.id])).toBe(1);
      await client.query('COMMIT');
      const { rows } = await client.query<{ tenant: string | null; actor: string | null }>(
        `SELECT current_setting('app.current_tenant_id', true) AS tenant, current_setting('app.actor_type', true) AS actor`,
      );
      expect(rows[0]).toEqual({ tenant: '', actor: '' });
      expect(await rawCount(client, name)).toBe(0);
      await expectPgError(rawInsert(client, name, row), '42501');
    } finally {
      client.release();
    }
  });

  it('with an actor but an empty tenant: no tenant rows, inserts fail', async () => {
    const settings = { 'app.current_tenant_id': '', 'app.actor_type': 'tenant_admin', 'app.actor_id': 'x' };
    expect(await withRawSettings(database, settings, (client) => rawCount(client, name, `"${col}" IS NOT NULL`))).toBe(0);
    const row = await buildRow(database, name, tenantA);
    await expectPgError(
      withRawSettings(database, settings, (client) => rawInsert(client, name, row)),
      '42501',
    );
  });

  it('the owner role, too, reads nothing without a context (RLS is forced on it)', async () => {
    const { rows } = await owner.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${name}"`);
    expect(rows[0]?.n).toBe(0);
  });

  it("cannot borrow the look-up functions' auth_lookup actor", async () => {
    const settings = { 'app.current_tenant_id': '', 'app.actor_type': 'auth_lookup' };
    expect(await withRawSettings(database, settings, (client) => rawCount(client, name))).toBe(0);
  });
});
