import { sql } from 'kysely';
import type { Database, OperatorTx } from '@orqestra/db';

/**
 * The server's version, asked on the pool itself: this is the System page's probe of PostgreSQL
 * (is it there, which version), reading no row of any tenant, so it opens no scoped transaction.
 */
export async function serverVersion(database: Database): Promise<string> {
  const { rows } = await sql<{ server_version: string }>`SHOW server_version`.execute(database.db);
  return rows[0]?.server_version ?? 'unknown';
}

/**
 * Secrets at rest by the key id in their envelope (`v1.<keyId>.<iv>.<ciphertext>.<tag>`): only
 * the id is read out of the database, never the sealed material.
 */
export async function secretsByKey(tx: OperatorTx): Promise<{ keyId: string; count: number }[]> {
  const { rows } = await sql<{ key_id: string; n: string }>`
    SELECT key_id, count(*) AS n FROM (
      SELECT split_part(credentials_ciphertext, '.', 2) AS key_id FROM provider_configs
      UNION ALL SELECT split_part(webhook_secret_ciphertext, '.', 2) FROM tenants WHERE webhook_secret_ciphertext IS NOT NULL
      UNION ALL SELECT split_part(webhook_secret_previous_ciphertext, '.', 2) FROM tenants WHERE webhook_secret_previous_ciphertext IS NOT NULL
    ) sealed GROUP BY key_id ORDER BY key_id`.execute(tx.db);
  return rows.map((r) => ({ keyId: r.key_id, count: Number(r.n) }));
}
