import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Database, TxDb } from '../src/index.js';
import { asActor, randomSha256Hex, randomTag } from './helpers.js';

/**
 * One minimal valid row per tenant table, for the generated isolation tests. A table that
 * has a tenant_id column but no builder here makes those tests fail: add one when you add a
 * table (see the README's migration recipe). Every row carries a fresh `id`, so no test
 * needs INSERT ... RETURNING. Parent rows are created in the parent tenant's own context.
 */
export type ParentTable = 'templates' | 'notification_logs' | 'tenant_admins';

export interface FixtureContext {
  tenantId: string;
  /** Inserts a fresh row of `table` for this tenant (as system_tenant) and returns its id. */
  parent(table: ParentTable): Promise<string>;
}

export type Fixture = (ctx: FixtureContext) => Promise<Record<string, unknown>>;

const inOneHour = () => new Date(Date.now() + 3_600_000);

export const FIXTURES: Record<string, Fixture> = {
  tenants: async () => ({ id: randomUUID(), name: `db-test fixture ${randomTag()}` }),
  api_keys: async ({ tenantId }) => ({
    id: randomUUID(),
    tenant_id: tenantId,
    key_hash: randomSha256Hex(),
    display_prefix: 'oq_live_test',
    mode: 'live',
  }),
  tenant_admins: async ({ tenantId }) => ({
    id: randomUUID(),
    tenant_id: tenantId,
    email: `admin-${randomTag()}@example.test`,
    password_hash: '$argon2id$fixture',
  }),
  admin_sessions: async (ctx) => ({
    id: randomUUID(),
    family_id: randomUUID(),
    tenant_id: ctx.tenantId,
    subject_type: 'tenant_admin',
    subject_id: await ctx.parent('tenant_admins'),
    role: 'admin',
    token_hash: randomSha256Hex(),
    expires_at: inOneHour(),
  }),
  provider_configs: async ({ tenantId }) => ({
    id: randomUUID(),
    tenant_id: tenantId,
    channel: 'EMAIL',
    provider: 'resend',
    credentials_ciphertext: 'k1:fixture',
    credentials_last4: 'abcd',
  }),
  templates: async ({ tenantId }) => ({
    id: randomUUID(),
    tenant_id: tenantId,
    event_type: `fixture.${randomTag()}`,
    channel: 'EMAIL',
    locale: 'en',
  }),
  template_versions: async (ctx) => ({
    id: randomUUID(),
    template_id: await ctx.parent('templates'),
    tenant_id: ctx.tenantId,
    version: 1,
    subject: 'Hello {{name}}',
    body_source: '<p>Hello {{name}}</p>',
    body_format: 'html',
    compiled_html: '<p>Hello {{name}}</p>',
  }),
  events: async ({ tenantId }) => ({
    id: randomUUID(),
    tenant_id: tenantId,
    mode: 'live',
    event_id: `evt-${randomTag()}`,
    event_type: 'order.confirmed',
    trace_id: `trace-${randomTag()}`,
    received_at: new Date(),
  }),
  notification_logs: async ({ tenantId }) => ({
    id: randomUUID(),
    tenant_id: tenantId,
    mode: 'live',
    event_id: `evt-${randomTag()}`,
    event_type: 'order.confirmed',
    channel: 'EMAIL',
    user_id: 'user-1',
    recipient: 'user-1@example.test',
    trace_id: `trace-${randomTag()}`,
    received_at: new Date(),
  }),
  notification_attempts: async (ctx) => ({
    id: randomUUID(),
    tenant_id: ctx.tenantId,
    notification_id: await ctx.parent('notification_logs'),
    attempt_series: 1,
    attempt_number: 1,
    provider: 'resend',
    started_at: new Date(),
    duration_ms: 12,
    outcome: 'sent',
  }),
  failed_notifications: async (ctx) => ({
    id: randomUUID(),
    tenant_id: ctx.tenantId,
    notification_id: await ctx.parent('notification_logs'),
    mode: 'live',
    channel: 'EMAIL',
    event_type: 'order.confirmed',
    payload: { v: 1 },
  }),
  in_app_notifications: async ({ tenantId }) => ({
    id: randomUUID(),
    tenant_id: tenantId,
    user_id: 'user-1',
    title: 'Hi',
    body: 'There',
    category: 'info',
    event_type: 'order.confirmed',
    created_at: new Date(),
  }),
  sandbox_messages: async ({ tenantId }) => ({
    id: randomUUID(),
    tenant_id: tenantId,
    sandbox_session_id: randomUUID(),
    notification_id: randomUUID(),
    channel: 'SMS',
    content: { body: 'hello' },
  }),
  audit_logs: async ({ tenantId }) => ({
    id: randomUUID(),
    tenant_id: tenantId,
    actor_type: 'tenant_admin',
    actor_id: 'db-tests',
    action: 'fixture.created',
  }),
};

export function insertRow(db: TxDb, table: string, row: Record<string, unknown>) {
  const columns = Object.keys(row).map((column) => sql.ref(column));
  const values = Object.values(row).map((value) => sql.val(value));
  return sql`insert into ${sql.table(table)} (${sql.join(columns)}) values (${sql.join(values)})`.execute(db);
}

export function fixtureContext(database: Database, tenantId: string): FixtureContext {
  return {
    tenantId,
    async parent(table) {
      const build = FIXTURES[table];
      if (!build) throw new Error(`no fixture builder for parent table ${table}`);
      const row = await build(fixtureContext(database, tenantId));
      await asActor(database, tenantId, 'system_tenant', (db) => insertRow(db, table, row));
      return row.id as string;
    },
  };
}

/** Builds a row of `table` whose parents belong to `tenantId`; fails when there is no builder. */
export async function buildRow(database: Database, table: string, tenantId: string): Promise<Record<string, unknown>> {
  const build = FIXTURES[table];
  if (!build) throw new Error(`no fixture builder for tenant table "${table}": add one to packages/db/test/fixtures.ts`);
  return build(fixtureContext(database, tenantId));
}
