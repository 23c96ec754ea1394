import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import { createHash } from 'node:crypto';
import pg from 'pg';
import {
  assertActorId,
  assertTenantId,
  buildContextStatement,
  InvalidContextError,
  TENANT_ACTOR_TYPES,
  type ActorType,
  type TenantActorType,
} from './context-statement.js';
import type { DB } from './generated/db.js';

/**
 * A connection pool for the services' role (DATABASE_URL). `db` runs queries with no tenant
 * context: under row-level security they see nothing and write nothing, except through the
 * auth_* look-up functions. Real work goes through withTenant / withOperator / withSystem.
 */
export interface Database {
  readonly db: Kysely<DB>;
  readonly pool: pg.Pool;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** Pool size (default 10). */
  max?: number;
  /** Shown in pg_stat_activity. */
  applicationName?: string;
  /**
   * Called when a pooled connection fails, idle or checked out (a PostgreSQL restart ends them all).
   * The pool drops a failed connection; a unit of work that was using it fails and can be retried.
   * Default: ignored.
   */
  onError?: (error: Error) => void;
}

export function createDatabase(url: string, options: DatabaseOptions = {}): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    ...(options.applicationName ? { application_name: options.applicationName } : {}),
  });
  const report = (error: Error) => options.onError?.(error);
  // pg-pool listens for a client's errors only while it is idle: a connection that the server ends
  // while checked out (restart, pg_terminate_backend) would emit an unhandled 'error' and end the
  // process. Each client gets a listener of its own for its whole life; the statement that was
  // running, or the next one, fails, and the unit of work releases the client with that error.
  pool.on('connect', (client) => client.on('error', report));
  pool.on('error', report);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  let closing: Promise<void> | undefined;
  return {
    db,
    pool,
    close: () => (closing ??= db.destroy()),
  };
}

/**
 * What a unit of work may use: query building on its one connection, inside its transaction.
 * Opening a nested transaction or releasing the connection is not offered.
 */
export type TxDb = Omit<Kysely<DB>, 'transaction' | 'startTransaction' | 'connection' | 'destroy'>;

declare const txBrand: unique symbol;

/**
 * Handle of a unit of work inside one tenant. Only withTenant creates one (the brand is not
 * exported), so a repository taking `(tx: TenantTx, ...)` cannot be handed the bare pool, an
 * operator handle or a system handle by mistake.
 */
export interface TenantTx {
  readonly [txBrand]: 'tenant';
  readonly db: TxDb;
  readonly tenantId: string;
  readonly actor: { readonly type: TenantActorType; readonly id: string };
}

/** Handle of an operator's unit of work: across tenants, or confined to `tenantId` when set. */
export interface OperatorTx {
  readonly [txBrand]: 'operator';
  readonly db: TxDb;
  readonly operatorId: string;
  readonly tenantId: string | null;
  readonly actor: { readonly type: 'operator'; readonly id: string };
}

/** Handle of cross-tenant background work (sweeper, metrics, re-encryption): narrow rights. */
export interface SystemTx {
  readonly [txBrand]: 'system';
  readonly db: TxDb;
  readonly purpose: string;
  readonly actor: { readonly type: 'system'; readonly id: string };
}

export interface TenantContext {
  tenantId: string;
  actorType: TenantActorType;
  /** The admin's, key's or operator's id, or a worker name such as `worker` or `gateway`. */
  actorId: string;
}

/**
 * Runs `fn` in one transaction on one connection, with the tenant context set by the first
 * statement. Commits when `fn` resolves, rolls back when it throws, and always releases the
 * connection. The handle must not be used after `fn` has settled.
 */
export async function withTenant<T>(database: Database, context: TenantContext, fn: (tx: TenantTx) => Promise<T>): Promise<T> {
  const tenantId = assertTenantId(context.tenantId);
  if (!(TENANT_ACTOR_TYPES as readonly string[]).includes(context.actorType)) {
    throw new InvalidContextError(`withTenant actor type must be one of ${TENANT_ACTOR_TYPES.join(', ')}`);
  }
  const actor = { type: context.actorType, id: assertActorId(context.actorId) };
  const statement = buildContextStatement({ tenantId, actorType: actor.type, actorId: actor.id });
  return runInContext(database, statement, (db) => fn(Object.freeze({ db, tenantId, actor }) as TenantTx));
}

/**
 * An operator's unit of work. Without `tenantId` the operator reads across tenants and writes
 * where the policies allow operators (tenants, keys, admins, global templates, replays, ...);
 * with `tenantId` it is confined to that tenant, like withTenant with actor type `operator`.
 */
export async function withOperator<T>(
  database: Database,
  operatorId: string,
  fn: (tx: OperatorTx) => Promise<T>,
  options: { tenantId?: string } = {},
): Promise<T> {
  const tenantId = options.tenantId === undefined ? null : assertTenantId(options.tenantId);
  const actor = { type: 'operator' as const, id: assertActorId(operatorId) };
  const statement = buildContextStatement({ tenantId, actorType: 'operator', actorId: actor.id });
  return runInContext(database, statement, (db) => fn(Object.freeze({ db, operatorId: actor.id, tenantId, actor }) as OperatorTx));
}

/** Cross-tenant background work; `purpose` (e.g. `sweeper`) is recorded as the actor id. */
export async function withSystem<T>(database: Database, purpose: string, fn: (tx: SystemTx) => Promise<T>): Promise<T> {
  const actor = { type: 'system' as const, id: assertActorId(purpose) };
  const statement = buildContextStatement({ tenantId: null, actorType: 'system', actorId: actor.id });
  return runInContext(database, statement, (db) => fn(Object.freeze({ db, purpose: actor.id, actor }) as SystemTx));
}

export class TransactionAbortedError extends Error {
  override name = 'TransactionAbortedError';
}

async function runInContext<T>(database: Database, statement: string, fn: (db: TxDb) => Promise<T>): Promise<T> {
  const client = await database.pool.connect();
  let finished = false;
  const finish = async (command: 'COMMIT' | 'ROLLBACK'): Promise<string | null> => {
    finished = true;
    const result = await client.query(command);
    return result.command;
  };
  try {
    await client.query(statement);
  } catch (error) {
    // BEGIN may have run before the SELECT failed: end the transaction before the release.
    await finish('ROLLBACK').then(
      () => client.release(),
      (rollbackError: Error) => client.release(rollbackError),
    );
    throw error;
  }
  let result: T;
  try {
    result = await fn(bindToClient(client, () => finished));
  } catch (error) {
    await finish('ROLLBACK').then(
      () => client.release(),
      (rollbackError: Error) => client.release(rollbackError),
    );
    throw error;
  }
  let committed: string | null;
  try {
    committed = await finish('COMMIT');
  } catch (error) {
    // A failed COMMIT has already ended the transaction.
    client.release();
    throw error;
  }
  client.release();
  if (committed !== 'COMMIT') {
    // PostgreSQL answers COMMIT of a failed transaction with ROLLBACK, not an error: that
    // happens when fn caught a query error and went on. Nothing was written.
    throw new TransactionAbortedError(
      'the transaction was rolled back because a statement in it failed (an error was caught inside the unit of work)',
    );
  }
  return result;
}

/**
 * Statements of units of work run as named prepared statements: PostgreSQL parses and plans each
 * distinct text once per connection instead of on every call (planning was half of the time the
 * server spent on the delivery path's statements, measured with pg_stat_statements). Row-level
 * security stays exact: its policies read the tenant and actor with current_setting() at execution,
 * and the services always connect as the same role. Names are a hash of the text; past
 * MAX_PREPARED distinct texts in a process (e.g. IN-lists of ever new lengths) new texts run unnamed.
 *
 * A migration that changes a table's columns while services run makes PostgreSQL refuse the
 * prepared statements whose result type changed ("cached plan must not change result type"):
 * that unit of work fails once (callers retry), and every statement is prepared anew under a new
 * generation of names.
 */
const MAX_PREPARED = 2_000;
const preparedNames = new Map<string, string>();
let generation = 0;

function preparedName(text: string): string | undefined {
  let name = preparedNames.get(text);
  if (name === undefined && preparedNames.size < MAX_PREPARED) {
    name = `orq${generation}_${createHash('sha1').update(text).digest('hex')}`;
    preparedNames.set(text, name);
  }
  return name;
}

function isStalePlan(error: unknown): boolean {
  return (
    (error as { code?: string } | null)?.code === '0A000' &&
    /cached plan must not change result type/.test(String((error as Error).message))
  );
}

async function runPrepared(client: pg.PoolClient, name: string, text: string, values: unknown[]) {
  try {
    return await client.query({ name, text, values });
  } catch (error) {
    if (isStalePlan(error) && preparedNames.get(text) === name) {
      generation++;
      preparedNames.clear();
    }
    throw error;
  }
}

/** A Kysely whose every query goes to this one checked-out client, until the work ends. */
function bindToClient(client: pg.PoolClient, isFinished: () => boolean): TxDb {
  const bound: PostgresPoolClient = {
    query: ((...args: unknown[]) => {
      if (isFinished()) throw new Error('this transaction handle is no longer usable: its unit of work has ended');
      const [text, values] = args;
      const name = typeof text === 'string' && Array.isArray(values) ? preparedName(text) : undefined;
      if (name) return runPrepared(client, name, text as string, values as unknown[]);
      return (client.query as (...a: unknown[]) => unknown)(...args);
    }) as PostgresPoolClient['query'],
    release: () => undefined,
  };
  const pool: PostgresPool = {
    connect: async () => bound,
    end: async () => undefined,
  };
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}

export type { ActorType, TenantActorType };
