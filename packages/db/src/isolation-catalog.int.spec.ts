/**
 * Isolation checks over the whole catalog: the services' role, every relation's protection,
 * the SECURITY DEFINER functions' result columns, and the fixture map's coverage.
 */
import { stackEnv } from '@orqestra/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { definerFunctions, publicRelations, tenantTables } from '../test/catalog.js';
import { FIXTURES } from '../test/fixtures.js';
import { appDatabase, ownerPool } from '../test/helpers.js';
import { migrateToLatest } from './migrate.js';

/** The documented result columns of each SECURITY DEFINER function (README, 0003 comments). */
const DOCUMENTED_FUNCTIONS: Record<string, string[]> = {
  auth_api_key: [
    'api_key_id',
    'tenant_id',
    'mode',
    'key_status',
    'key_expires_at',
    'sandbox_session_id',
    'tenant_status',
    'rate_limit_per_minute',
    'burst',
    'daily_cap',
    'webhook_secret_ciphertext',
    'webhook_secret_previous_ciphertext',
    'webhook_secret_previous_expires_at',
  ],
  auth_tenant_admin_by_email: ['tenant_admin_id', 'tenant_id', 'password_hash', 'role', 'status', 'must_change_password', 'tenant_status'],
  auth_operator_by_username: ['operator_id', 'password_hash', 'status', 'must_change_password'],
  auth_admin_session: [
    'session_id',
    'family_id',
    'tenant_id',
    'subject_type',
    'subject_id',
    'role',
    'expires_at',
    'rotated_at',
    'revoked_at',
  ],
};
const SAMPLE_ARGUMENT: Record<string, string> = {
  auth_api_key: '0'.repeat(64),
  auth_tenant_admin_by_email: 'nobody@example.test',
  auth_operator_by_username: 'nobody',
  auth_admin_session: '0'.repeat(64),
};

await migrateToLatest(stackEnv().databaseOwnerUrl);
const owner = ownerPool();
const OWNER_ROLE = decodeURIComponent(new URL(stackEnv().databaseOwnerUrl).username);
const TABLES = await tenantTables(owner);
const RELATIONS = await publicRelations(owner);
const FUNCTIONS = await definerFunctions(owner);
const database = appDatabase(2);

afterAll(async () => {
  await database.close();
  await owner.end();
});

describe('the services role (orqestra_app)', () => {
  it('is not a superuser, cannot bypass RLS, create roles or databases, and is no member of the owner', async () => {
    const { rows } = await owner.query(
      `SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, pg_has_role('orqestra_app', $1, 'MEMBER') AS member_of_owner
         FROM pg_roles WHERE rolname = 'orqestra_app'`,
      [OWNER_ROLE],
    );
    expect(rows).toEqual([{ rolsuper: false, rolbypassrls: false, rolcreaterole: false, rolcreatedb: false, member_of_owner: false }]);
  });

  it('owns nothing and cannot create objects in schema public', async () => {
    const { rows } = await owner.query(
      `SELECT (SELECT count(*)::int FROM pg_class WHERE relowner = 'orqestra_app'::regrole) AS relations,
              (SELECT count(*)::int FROM pg_proc WHERE proowner = 'orqestra_app'::regrole) AS functions,
              (SELECT count(*)::int FROM pg_namespace WHERE nspowner = 'orqestra_app'::regrole) AS schemas,
              has_schema_privilege('orqestra_app', 'public', 'CREATE') AS can_create`,
    );
    expect(rows).toEqual([{ relations: 0, functions: 0, schemas: 0, can_create: false }]);
  });

  it('is what DATABASE_URL connects as, and is not the owner', async () => {
    const { rows } = await database.pool.query('SELECT current_user AS me');
    expect(rows[0]?.me).toBe('orqestra_app');
    expect(OWNER_ROLE).not.toBe('orqestra_app');
  });
});

describe('every relation in schema public', () => {
  it.each(RELATIONS.map((r) => [r.table, r] as const))('%s has forced RLS or no grant to orqestra_app', (name, relation) => {
    const protectedByRls = relation.rlsEnabled && relation.rlsForced;
    expect(
      protectedByRls || relation.appPrivileges.length === 0,
      `${name} is granted to orqestra_app (${relation.appPrivileges.join(', ')}) with RLS enabled=${relation.rlsEnabled}, forced=${relation.rlsForced}`,
    ).toBe(true);
  });

  it.each(RELATIONS.map((r) => [r.table, r] as const))('%s grants no TRUNCATE, REFERENCES or TRIGGER', (_name, relation) => {
    expect(relation.appPrivileges.filter((p) => ['TRUNCATE', 'REFERENCES', 'TRIGGER'].includes(p))).toEqual([]);
  });

  it('audit_logs is append-only for orqestra_app: SELECT and INSERT only', () => {
    expect(RELATIONS.find((r) => r.table === 'audit_logs')?.appPrivileges).toEqual(['SELECT', 'INSERT']);
  });
});

describe('fixture builders', () => {
  it('exist for exactly the tenant tables of the catalog', () => {
    expect(Object.keys(FIXTURES).sort()).toEqual(TABLES.map((t) => t.table).sort());
  });
});

describe('SECURITY DEFINER functions', () => {
  it('are exactly the documented ones', () => {
    expect(FUNCTIONS.map((f) => f.name).sort()).toEqual(Object.keys(DOCUMENTED_FUNCTIONS).sort());
  });

  describe.each(FUNCTIONS.map((f) => [f.name, f] as const))('%s', (name, fn) => {
    const documented = DOCUMENTED_FUNCTIONS[name] ?? [];

    it('declares only its documented result columns, in order', () => {
      expect(fn.columns).toEqual(documented);
    });

    it('returns only those columns when called by orqestra_app', async () => {
      const result = await database.pool.query(`SELECT * FROM ${name}($1)`, [SAMPLE_ARGUMENT[name] ?? '']);
      expect(result.fields.map((f) => f.name)).toEqual(documented);
      expect(result.rows).toEqual([]);
    });

    it('documents the same columns in its SQL comment', async () => {
      const { rows } = await owner.query<{ comment: string | null }>(
        `SELECT obj_description(p.oid, 'pg_proc') AS comment FROM pg_proc p WHERE p.proname = $1 AND p.pronamespace = 'public'::regnamespace`,
        [name],
      );
      const listed = rows[0]?.comment
        ?.split('->')[1]
        ?.split(',')
        .map((c) => c.trim());
      expect(listed).toEqual(documented);
    });

    it('is owned by the owner role, pins its search_path, and is executable by orqestra_app but not PUBLIC', () => {
      expect({ owner: fn.owner, config: fn.config, publicCanExecute: fn.publicCanExecute, appCanExecute: fn.appCanExecute }).toEqual({
        owner: OWNER_ROLE,
        config: ['search_path=pg_catalog, public'],
        publicCanExecute: false,
        appCanExecute: true,
      });
    });
  });

  it('no other function of schema public is executable by PUBLIC', async () => {
    const { rows } = await owner.query<{ name: string }>(
      `SELECT p.proname AS name FROM pg_proc p
        WHERE p.pronamespace = 'public'::regnamespace
          AND EXISTS (SELECT 1 FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) e
                       WHERE e.grantee = 0 AND e.privilege_type = 'EXECUTE')`,
    );
    expect(rows).toEqual([]);
  });
});
