import { sql } from 'kysely';
import type { SystemTx } from './context.js';

/**
 * Takes a transaction-scoped advisory lock if no other session holds it: true when taken (it is
 * released when the transaction ends), false at once when another session has it. For jobs that
 * must run once across the cluster (the gateway's sweeper).
 */
export async function tryTransactionLock(tx: SystemTx, key: number): Promise<boolean> {
  const result = await sql<{ ok: boolean }>`SELECT pg_try_advisory_xact_lock(${key}) AS ok`.execute(tx.db);
  return result.rows[0]?.ok === true;
}
