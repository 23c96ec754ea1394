import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stackEnv } from '@orqestra/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { ownerPool } from '../test/helpers.js';
import { MigrationError, migrateToLatest } from './migrate.js';

const ownerUrl = stackEnv().databaseOwnerUrl;
const owner = ownerPool();
const cleanup: (() => Promise<unknown>)[] = [];

afterAll(async () => {
  for (const step of cleanup) await step();
  await owner.end();
});

async function scratch(files: Record<string, string>) {
  const dir = await mkdtemp(join(tmpdir(), 'orq-migrations-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  const schema = `kysely_test_${randomBytes(4).toString('hex')}`;
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  cleanup.push(() => owner.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
  return { migrationsDir: dir, migrationTableSchema: schema };
}

describe('migrateToLatest', () => {
  it('is idempotent, and overlapping calls in one process share one run', async () => {
    const [first, second] = await Promise.all([migrateToLatest(ownerUrl), migrateToLatest(ownerUrl)]);
    expect(first).toBe(second);
    expect(await migrateToLatest(ownerUrl)).toEqual({ applied: [] });
  });

  it('names the file, line and error of a failing migration, and applies nothing of the run', async () => {
    const table = `db_test_${randomBytes(4).toString('hex')}`;
    const options = await scratch({
      '0001_fine.sql': `CREATE TABLE ${table} (id int);\n`,
      '0002_broken.sql': `-- a comment\nSELECT 1;\nSELECT * FROM no_such_table;\n`,
    });
    const error = await migrateToLatest(ownerUrl, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toMatch(/0002_broken\.sql line 3 .*relation "no_such_table" does not exist/);
    const { rows } = await owner.query(`SELECT to_regclass($1) AS t`, [`public.${table}`]);
    expect(rows[0]?.t).toBeNull();
  });

  it('refuses files that control the transaction or are misnamed', async () => {
    const withCommit = await scratch({ '0001_commit.sql': 'SELECT 1;\nCOMMIT;\n' });
    await expect(migrateToLatest(ownerUrl, withCommit)).rejects.toThrow(/controls the transaction/);
    const misnamed = await scratch({ 'add-things.sql': 'SELECT 1;' });
    await expect(migrateToLatest(ownerUrl, misnamed)).rejects.toThrow(/not named NNNN_snake_case\.sql/);
  });

  it('says which server it could not reach, without the password', async () => {
    const error = await migrateToLatest('postgres://orqestra_owner:s3cret-pw@127.0.0.1:1/orqestra_test').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toMatch(/^cannot connect to postgres:\/\/orqestra_owner:\*\*\*@127\.0\.0\.1:1\/orqestra_test/);
    expect((error as Error).message).not.toContain('s3cret-pw');
  });
});
