import { randomBytes, randomUUID } from 'node:crypto';
import { stackEnv } from '@orqestra/testing';
import { sql } from 'kysely';
import pg from 'pg';
import { expect } from 'vitest';
import { createDatabase, insertTenant, withOperator, withTenant, type Database, type TenantActorType, type TxDb } from '../src/index.js';

/** The services' role on the test database, through the package's own pool. */
export function appDatabase(max = 6): Database {
  return createDatabase(stackEnv().databaseUrl, { max, applicationName: 'orqestra-db-tests' });
}

/** The owner role: only for reading the catalog. */
export function ownerPool(): pg.Pool {
  const pool = new pg.Pool({ connectionString: stackEnv().databaseOwnerUrl, max: 2 });
  pool.on('error', () => undefined);
  return pool;
}

export function randomTag(): string {
  return randomBytes(6).toString('hex');
}

export function randomSha256Hex(): string {
  return randomBytes(32).toString('hex');
}

export const TENANT_ACTORS: readonly TenantActorType[] = ['tenant_admin', 'api_key', 'system_tenant', 'operator'];

/** Fresh tenants with random names, created the way the CLI does (global operator). */
export async function newTenants(database: Database, count: number): Promise<string[]> {
  return withOperator(database, 'db-tests', async (tx) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1) ids.push((await insertTenant(tx, { name: `db-test ${randomTag()}` })).id);
    return ids;
  });
}

/** Purges test tenants (cascades to their rows; audit rows stay, they are append-only). */
export async function dropTenants(database: Database, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await withOperator(database, 'db-tests', (tx) => tx.db.deleteFrom('tenants').where('id', 'in', ids).execute());
}

export function asActor<T>(database: Database, tenantId: string, actorType: TenantActorType, fn: (db: TxDb) => Promise<T>): Promise<T> {
  return withTenant(database, { tenantId, actorType, actorId: `db-tests-${actorType}` }, (tx) => fn(tx.db));
}

/**
 * Runs fn on one raw connection inside a transaction whose settings are exactly `settings`
 * (null: none at all). For the states the helper refuses to produce (no tenant, made-up
 * actors), to check that the database itself fails closed.
 */
export async function withRawSettings<T>(
  database: Database,
  settings: Record<string, string> | null,
  fn: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await database.pool.connect();
  try {
    await client.query('BEGIN');
    for (const [name, value] of Object.entries(settings ?? {})) {
      await client.query('SELECT set_config($1, $2, true)', [name, value]);
    }
    return await fn(client);
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}

interface PgError {
  code?: string;
  message?: string;
}

/** Awaits a rejection carrying this SQLSTATE (42501 = insufficient_privilege, what RLS raises). */
export async function expectPgError(promise: Promise<unknown>, code: string): Promise<PgError> {
  let error: PgError | undefined;
  try {
    await promise;
  } catch (caught) {
    error = caught as PgError;
  }
  expect(error, 'expected the statement to fail').toBeDefined();
  expect({ code: error?.code, message: error?.message }).toMatchObject({ code });
  return error as PgError;
}

/** Rows affected by an UPDATE/DELETE, or the SQLSTATE it failed with. */
export async function affectedOrError(promise: Promise<{ numAffectedRows?: bigint }>): Promise<number | string> {
  try {
    const result = await promise;
    return Number(result.numAffectedRows ?? 0n);
  } catch (error) {
    return (error as PgError).code ?? 'unknown error';
  }
}

export { randomUUID, sql };

/** INSERT on a raw client (identifiers come from fixture builders, values are parameters). */
export function rawInsert(client: pg.PoolClient, table: string, row: Record<string, unknown>) {
  const columns = Object.keys(row).map((column) => `"${column}"`);
  const params = Object.keys(row).map((_, i) => `$${i + 1}`);
  return client.query(`INSERT INTO "${table}" (${columns.join(', ')}) VALUES (${params.join(', ')})`, Object.values(row));
}

export async function rawCount(client: pg.PoolClient, table: string, where = 'true', params: unknown[] = []): Promise<number> {
  const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}" WHERE ${where}`, params);
  return rows[0]?.n ?? -1;
}

export async function count(db: TxDb, table: string, where = sql`true`): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where ${where}`.execute(db);
  return rows[0]?.n ?? -1;
}
