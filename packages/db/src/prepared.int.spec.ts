import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appDatabase, ownerPool, randomTag } from '../test/helpers.js';
import { withSystem } from './context.js';

/**
 * Units of work run their statements as prepared statements (planned once per connection). A
 * migration that changes a table's columns under running services must cost at most one failed
 * unit of work, not a connection that fails forever.
 */
const schema = `prepared_probe_${randomTag()}`;
const owner = ownerPool();
const database = appDatabase(1); // one connection: every unit of work below shares its prepared statements

beforeAll(async () => {
  await owner.query(`CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.t (a int); INSERT INTO ${schema}.t VALUES (1);
                     GRANT USAGE ON SCHEMA ${schema} TO orqestra_app; GRANT SELECT ON ${schema}.t TO orqestra_app;`);
});

afterAll(async () => {
  await database.close();
  await owner.query(`DROP SCHEMA ${schema} CASCADE`);
  await owner.end();
});

const readAll = () =>
  withSystem(
    database,
    'tests',
    async (tx) => (await sql<Record<string, number>>`select * from ${sql.table(`${schema}.t`)}`.execute(tx.db)).rows,
  );

describe('prepared statements of units of work', () => {
  it('are prepared once on the connection and reused', async () => {
    expect(await readAll()).toEqual([{ a: 1 }]);
    expect(await readAll()).toEqual([{ a: 1 }]);
    const prepared = await withSystem(
      database,
      'tests',
      async (tx) =>
        (
          await sql<{ n: number }>`select count(*)::int as n from pg_prepared_statements where statement like ${`%${schema}%`}`.execute(
            tx.db,
          )
        ).rows[0]?.n,
    );
    expect(prepared).toBe(1);
  });

  it('recover after a migration changed the result type: one unit of work fails, the next one sees the new column', async () => {
    expect(await readAll()).toEqual([{ a: 1 }]);
    await owner.query(`ALTER TABLE ${schema}.t ADD COLUMN b int NOT NULL DEFAULT 2`);
    await expect(readAll()).rejects.toThrow(/cached plan must not change result type/);
    expect(await readAll()).toEqual([{ a: 1, b: 2 }]);
  });
});
