import type pg from 'pg';

/**
 * Catalog queries (run as the owner) from which the isolation tests are generated, so that a
 * table added later is covered without anyone remembering to list it.
 */

export interface TenantTable {
  table: string;
  /** `tenant_id`, or `id` for the tenants table itself. */
  tenantColumn: 'tenant_id' | 'id';
  /** tenant_id may be NULL (global templates, platform audit entries, operator sessions). */
  nullableTenant: boolean;
  primaryKey: string[];
}

/** Every table of schema public with a tenant_id column, plus tenants (partitions excluded). */
export async function tenantTables(owner: pg.Pool): Promise<TenantTable[]> {
  const { rows } = await owner.query<{ table: string; nullable: boolean | null; pk: string[] | null }>(`
    SELECT c.relname AS table,
           (SELECT NOT a.attnotnull FROM pg_attribute a
             WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped) AS nullable,
           (SELECT array_agg(a.attname::text ORDER BY a.attnum)
              FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
             WHERE i.indrelid = c.oid AND i.indisprimary) AS pk
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
       AND (c.relname = 'tenants' OR EXISTS (
             SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped))
     ORDER BY c.relname`);
  return rows.map((row) => ({
    table: row.table,
    tenantColumn: row.table === 'tenants' ? 'id' : 'tenant_id',
    nullableTenant: row.nullable === true,
    primaryKey: row.pk ?? [],
  }));
}

export interface TableSecurity {
  table: string;
  kind: string;
  rlsEnabled: boolean;
  rlsForced: boolean;
  /** Privileges orqestra_app holds on the table (SELECT, INSERT, ...). */
  appPrivileges: string[];
}

/** Every table (and partition, view, materialized view) of schema public. */
export async function publicRelations(owner: pg.Pool): Promise<TableSecurity[]> {
  const { rows } = await owner.query<TableSecurity>(`
    SELECT c.relname AS table, c.relkind::text AS kind, c.relrowsecurity AS "rlsEnabled",
           c.relforcerowsecurity AS "rlsForced",
           ARRAY(SELECT p FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) AS p
                  WHERE has_table_privilege('orqestra_app', c.oid, p)) AS "appPrivileges"
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
     ORDER BY c.relname`);
  return rows;
}

export async function rlsFlags(owner: pg.Pool, table: string): Promise<{ enabled: boolean; forced: boolean }> {
  const { rows } = await owner.query<{ enabled: boolean; forced: boolean }>(
    `SELECT relrowsecurity AS enabled, relforcerowsecurity AS forced FROM pg_class WHERE oid = $1::regclass`,
    [`public.${table}`],
  );
  const row = rows[0];
  if (!row) throw new Error(`table ${table} not found`);
  return row;
}

export interface DefinerFunction {
  name: string;
  owner: string;
  /** Result columns in order (the OUT / TABLE columns). */
  columns: string[];
  config: string[];
  publicCanExecute: boolean;
  appCanExecute: boolean;
}

/** Every SECURITY DEFINER function in schema public. */
export async function definerFunctions(owner: pg.Pool): Promise<DefinerFunction[]> {
  const { rows } = await owner.query<DefinerFunction>(`
    SELECT p.proname AS name, pg_get_userbyid(p.proowner) AS owner,
           ARRAY(SELECT a.name FROM unnest(p.proargnames, p.proargmodes) WITH ORDINALITY AS a(name, mode, n)
                  WHERE a.mode IN ('o', 't', 'b') ORDER BY a.n) AS columns,
           coalesce(p.proconfig, ARRAY[]::text[]) AS config,
           EXISTS (SELECT 1 FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) e
                    WHERE e.grantee = 0 AND e.privilege_type = 'EXECUTE') AS "publicCanExecute",
           has_function_privilege('orqestra_app', p.oid, 'EXECUTE') AS "appCanExecute"
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = 'public' AND p.prosecdef
     ORDER BY p.proname`);
  return rows;
}
