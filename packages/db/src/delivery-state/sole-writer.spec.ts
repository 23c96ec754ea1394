import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// House rule (DESIGN.md "one state, one owner"): only packages/db/src/delivery-state/ writes
// notification_logs and notification_attempts. Every other file calls it; this test reads the
// sources of the repository and fails, naming the file and line, when another one writes them.
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const OWNER = 'packages/db/src/delivery-state/';
const SCANNED = ['apps', 'packages', 'bench', 'infra', 'deploy'];
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.next', 'generated', 'coverage']);
const EXTENSIONS = /\.(ts|tsx|mts|cts|js|mjs|cjs|sql|sh)$/;

/**
 * Files (or folders, ending in /) allowed to write the tables anyway, each with why. Only tests,
 * benchmarks and schema: a file of the product that writes delivery state belongs in the owner module.
 */
const ALLOWED: Record<string, string> = {
  'packages/db/migrations/': 'migrations own the schema (and any backfill of it)',
  'bench/':
    "benchmarks are not the product: the delivery floor (bench/e2e) writes the tables directly on purpose, to measure what the path must cost, and benches clean up their tenants' rows",
  'packages/db/src/policies.int.spec.ts': 'tests the row-level security policies of these tables: the writes are what is under test',
  'apps/gateway/src/sweeper/sweeper.serial.spec.ts':
    'puts rows in the states a crashed process leaves behind, which no transition produces on purpose',
  'apps/gateway/src/gateway.serial.spec.ts': 'turns a seeded live row into a sandbox row for the capture test',
  'apps/gateway/src/crash.serial.spec.ts': 'seeds hundreds of PENDING rows in one statement before the crash',
  'apps/api/test/admin-fixtures.ts': 'seeds log rows with attempts in given end states for the admin API tests',
};

const TABLE = '"?(?:public"?\\s*\\.\\s*"?)?(?:notification_logs|notification_attempts)\\b';
/** Kysely builders (`insertInto('notification_logs')`, `updateTable('notification_logs as l')`) and raw SQL. */
const WRITE_PATTERNS = [
  new RegExp(`\\.(?:insertInto|updateTable|deleteFrom|mergeInto|replaceInto)\\(\\s*['"\`]${TABLE}`),
  new RegExp(`\\b(?:insert\\s+into|update|delete\\s+from|merge\\s+into|truncate(?:\\s+table)?|copy)\\s+(?:only\\s+)?${TABLE}`, 'i'),
];

function writesIn(text: string): number[] {
  const lines: number[] = [];
  text.split('\n').forEach((line, index) => {
    if (WRITE_PATTERNS.some((pattern) => pattern.test(line))) lines.push(index + 1);
  });
  // A builder call split over lines: `.insertInto(\n 'notification_logs')`.
  const joined = new RegExp(WRITE_PATTERNS[0]!.source, 'g');
  for (const match of text.matchAll(joined)) {
    const line = text.slice(0, match.index).split('\n').length;
    if (!lines.includes(line)) lines.push(line);
  }
  return lines;
}

function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (SKIPPED_DIRS.has(name) || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (EXTENSIONS.test(name)) yield path;
  }
}

function writers(): Map<string, number[]> {
  const found = new Map<string, number[]>();
  for (const top of SCANNED) {
    for (const path of sources(join(ROOT, top))) {
      const lines = writesIn(readFileSync(path, 'utf8'));
      if (lines.length > 0) found.set(relative(ROOT, path), lines);
    }
  }
  return found;
}

const allowed = (file: string) =>
  file.startsWith(OWNER) || Object.keys(ALLOWED).some((entry) => (entry.endsWith('/') ? file.startsWith(entry) : file === entry));

describe('delivery state has one owner', () => {
  const found = writers();

  it('no file outside packages/db/src/delivery-state writes notification_logs or notification_attempts', () => {
    const offenders = [...found].filter(([file]) => !allowed(file)).map(([file, lines]) => `${file}:${lines.join(',')}`);
    expect(
      offenders,
      'move these writes into packages/db/src/delivery-state (or, for a test fixture, allow it in ALLOWED with the reason)',
    ).toEqual([]);
  });

  it('the owner module is where the writes are, and every allowed file still needs its entry', () => {
    expect([...found.keys()].some((file) => file.startsWith(OWNER))).toBe(true);
    const stale = Object.keys(ALLOWED).filter((entry) => !entry.endsWith('/') && !found.has(entry));
    expect(stale, 'these files no longer write the tables: drop them from ALLOWED').toEqual([]);
  });

  it('recognises the ways of writing a table', () => {
    const writes = [
      "tx.db.insertInto('notification_logs').values(row)",
      "await tx.db\n  .updateTable('notification_logs as l')",
      "db.deleteFrom('notification_attempts')",
      'sql`UPDATE notification_logs SET status = ${s}`',
      'INSERT INTO public.notification_attempts (id) VALUES ($1)',
      'delete from "notification_logs" where id = $1',
    ];
    const reads = [
      "tx.db.selectFrom('notification_logs')",
      'SELECT * FROM notification_logs',
      "innerJoin('notification_logs as l', 'l.id', 'a.notification_id')",
      'FOR UPDATE OF notification_logs_x',
    ];
    for (const text of writes) expect(writesIn(text), text).not.toEqual([]);
    for (const text of reads) expect(writesIn(text), text).toEqual([]);
  });
});
