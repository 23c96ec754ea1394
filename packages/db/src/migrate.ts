import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Kysely, Migrator, PostgresDialect, sql, type Migration, type MigrationProvider } from 'kysely';
import pg from 'pg';

/** packages/db/migrations, from both src/ (tests) and dist/ (built code). */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));

const FILE_NAME = /^(\d{4}_[a-z0-9_]+)\.sql$/;
const TRANSACTION_CONTROL = /^\s*(BEGIN|START\s+TRANSACTION|COMMIT|END|ROLLBACK)\s*;/im;

export interface MigrateOptions {
  /** Folder of NNNN_name.sql files; defaults to this package's migrations/. */
  migrationsDir?: string;
  /** Schema of Kysely's bookkeeping tables; defaults to the search path (public). */
  migrationTableSchema?: string;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/**
 * Reads the hand-written SQL files. Each file runs as one multi-statement simple query inside
 * the migrator's transaction (all pending migrations of a run share that transaction, so a
 * failure applies none of them). Forward-only: there are no down migrations.
 */
export class SqlFileMigrationProvider implements MigrationProvider {
  constructor(private readonly dir: string) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const migrations: Record<string, Migration> = {};
    const files = (await readdir(this.dir)).filter((file) => file.endsWith('.sql')).sort();
    for (const file of files) {
      const name = FILE_NAME.exec(file)?.[1];
      if (name === undefined) throw new MigrationError(`migration file ${file} is not named NNNN_snake_case.sql`);
      const text = await readFile(`${this.dir.replace(/\/$/, '')}/${file}`, 'utf8');
      if (TRANSACTION_CONTROL.test(text)) {
        throw new MigrationError(`migration ${file} controls the transaction itself (BEGIN/COMMIT); remove that, the migrator wraps it`);
      }
      migrations[name] = {
        up: async (db) => {
          try {
            await sql.raw(text).execute(db);
          } catch (error) {
            throw new MigrationError(describeSqlError(file, text, error), { cause: error });
          }
        },
      };
    }
    return migrations;
  }
}

/** "0002_security.sql line 42: relation "x" does not exist (hint: ...)" */
function describeSqlError(file: string, text: string, error: unknown): string {
  if (!(error instanceof Error)) return `${file}: ${String(error)}`;
  const pgError = error as Error & { position?: string; detail?: string; hint?: string; where?: string };
  const position = Number(pgError.position);
  let where = '';
  if (Number.isInteger(position) && position > 0) {
    const before = text.slice(0, position - 1);
    const line = before.split('\n').length;
    const lineText = text.split('\n')[line - 1]?.trim() ?? '';
    where = ` line ${line} (${lineText.slice(0, 120)})`;
  }
  const extra = [
    pgError.detail && `detail: ${pgError.detail}`,
    pgError.hint && `hint: ${pgError.hint}`,
    pgError.where && `context: ${pgError.where}`,
  ]
    .filter(Boolean)
    .join('; ');
  return `${file}${where}: ${pgError.message}${extra ? ` [${extra}]` : ''}`;
}

/** The URL without its password, for error messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable database URL>';
  }
}

const inFlight = new Map<string, Promise<{ applied: string[] }>>();

/**
 * Applies every pending migration, as the owner role (DATABASE_OWNER_URL). Idempotent; runs
 * that overlap (in this process or in others) are serialised by Kysely's advisory lock, and
 * overlapping calls in one process share one run. Throws a MigrationError naming the file,
 * the line and PostgreSQL's message when something fails; nothing of that run is applied.
 */
export function migrateToLatest(ownerUrl: string, options: MigrateOptions = {}): Promise<{ applied: string[] }> {
  const key = JSON.stringify([ownerUrl, options.migrationsDir ?? MIGRATIONS_DIR, options.migrationTableSchema ?? '']);
  const running = inFlight.get(key);
  if (running) return running;
  const run = runMigrations(ownerUrl, options).finally(() => inFlight.delete(key));
  inFlight.set(key, run);
  return run;
}

async function runMigrations(ownerUrl: string, options: MigrateOptions): Promise<{ applied: string[] }> {
  const pool = new pg.Pool({ connectionString: ownerUrl, max: 2, connectionTimeoutMillis: 10_000 });
  pool.on('error', () => undefined); // an idle client dying must not crash the process
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
  try {
    try {
      await sql`select 1`.execute(db);
    } catch (error) {
      throw new MigrationError(`cannot connect to ${redactUrl(ownerUrl)}: ${(error as Error).message}`, { cause: error });
    }
    const migrator = new Migrator({
      db,
      provider: new SqlFileMigrationProvider(options.migrationsDir ?? MIGRATIONS_DIR),
      ...(options.migrationTableSchema ? { migrationTableSchema: options.migrationTableSchema } : {}),
    });
    const { error, results = [] } = await migrator.migrateToLatest();
    if (error !== undefined) {
      const failed = results.find((result) => result.status === 'Error')?.migrationName;
      const message = error instanceof Error ? error.message : String(error);
      throw new MigrationError(
        failed && !message.startsWith(failed) ? `migration ${failed} failed: ${message}` : `migration failed: ${message}`,
        {
          cause: error,
        },
      );
    }
    return { applied: results.filter((result) => result.status === 'Success').map((result) => result.migrationName) };
  } finally {
    await db.destroy();
  }
}
