import type { Selectable } from 'kysely';
import type { OperatorTx } from './context.js';
import type { Operators } from './generated/db.js';

export type OperatorRow = Selectable<Operators>;

export interface NewOperator {
  username: string;
  /** argon2id hash of the (temporary) password. */
  passwordHash: string;
  mustChangePassword?: boolean;
}

/**
 * `operator create`. Only an operator context may write the operators table; the CLI, having
 * no logged-in operator, uses `withOperator(database, 'cli', ...)`.
 */
export async function insertOperator(tx: OperatorTx, input: NewOperator): Promise<OperatorRow> {
  return tx.db
    .insertInto('operators')
    .values({ username: input.username, password_hash: input.passwordHash, must_change_password: input.mustChangePassword ?? true })
    .returningAll()
    .executeTakeFirstOrThrow();
}
