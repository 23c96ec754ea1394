import { sql } from 'kysely';
import type { Database } from './context.js';

/**
 * Whether PostgreSQL answers a trivial statement on the pool: what the health endpoints report.
 * Never throws; no tenant context is needed (and none is set) for `SELECT 1`.
 */
export async function pingDatabase(database: Database): Promise<boolean> {
  return sql`SELECT 1`.execute(database.db).then(
    () => true,
    () => false,
  );
}
