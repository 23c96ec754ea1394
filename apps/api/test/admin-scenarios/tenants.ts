import { randomUUID } from 'node:crypto';
import { insertTenantAdmin, withOperator } from '@orqestra/db';
import { adminToken, newProviderConfig, setWebhookSecret, testDatabase } from '../fixtures.js';
import type { RouteScenario, ScenarioContext } from './types.js';

/**
 * Tenant management (features/tenants, tenant-admins, api-keys, webhook-secret,
 * provider-base-url, global-templates): operator routes under /api/v1/admin and the tenant
 * admin's key and webhook-secret routes under /api/v1/tenant.
 */
const tenantPath = (ctx: ScenarioContext, rest = '') => `/api/v1/admin/tenants/${ctx.tenantId}${rest}`;

async function tenantAdmin(ctx: ScenarioContext): Promise<string> {
  const row = await withOperator(testDatabase(), 'tests', (tx) =>
    insertTenantAdmin(tx, {
      tenantId: ctx.tenantId,
      email: `scenario-${randomUUID()}@example.com`,
      passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$placeholder$placeholder',
    }),
  );
  return row.id;
}

async function globalTemplate(ctx: ScenarioContext): Promise<string> {
  const response = await fetch(`${ctx.apiUrl}/api/v1/admin/global-templates`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await adminToken({ role: 'platform_operator' })}`, 'content-type': 'application/json' },
    body: JSON.stringify({ eventType: `global.scenario-${randomUUID()}`, template: { channel: 'PUSH', title: 'Hi', pushBody: 'There' } }),
  });
  if (response.status !== 201) throw new Error(`saving a global template answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { data: { templateId: string } }).data.templateId;
}

const withSecret = async (ctx: ScenarioContext) => {
  await setWebhookSecret(ctx.tenantId);
};

export const scenarios: RouteScenario[] = [
  {
    method: 'POST',
    route: '/api/v1/admin/tenants',
    prepare: async () => ({ path: '/api/v1/admin/tenants', body: { name: `scenario-${randomUUID()}` } }),
    auditAction: 'tenant.create',
  },
  { method: 'GET', route: '/api/v1/admin/tenants', prepare: async () => ({ path: '/api/v1/admin/tenants' }) },
  { method: 'GET', route: '/api/v1/admin/tenants/:id', prepare: async (ctx) => ({ path: tenantPath(ctx) }) },
  {
    method: 'PATCH',
    route: '/api/v1/admin/tenants/:id',
    prepare: async (ctx) => ({ path: tenantPath(ctx), body: { burst: 50 } }),
    auditAction: 'tenant.update',
  },
  {
    method: 'POST',
    route: '/api/v1/admin/tenants/:id/suspend',
    prepare: async (ctx) => ({ path: tenantPath(ctx, '/suspend') }),
    auditAction: 'tenant.suspend',
  },
  {
    method: 'POST',
    route: '/api/v1/admin/tenants/:id/reactivate',
    prepare: async (ctx) => {
      await withOperator(testDatabase(), 'tests', (tx) =>
        tx.db.updateTable('tenants').set({ status: 'suspended' }).where('id', '=', ctx.tenantId).execute(),
      );
      return { path: tenantPath(ctx, '/reactivate') };
    },
    auditAction: 'tenant.reactivate',
  },
  {
    method: 'DELETE',
    route: '/api/v1/admin/tenants/:id',
    prepare: async (ctx) => ({ path: tenantPath(ctx) }),
    auditAction: 'tenant.delete',
  },

  {
    method: 'POST',
    route: '/api/v1/admin/tenants/:id/admins',
    prepare: async (ctx) => ({ path: tenantPath(ctx, '/admins'), body: { email: `scenario-${randomUUID()}@example.com` } }),
    auditAction: 'tenant_admin.create',
  },
  { method: 'GET', route: '/api/v1/admin/tenants/:id/admins', prepare: async (ctx) => ({ path: tenantPath(ctx, '/admins') }) },
  {
    method: 'POST',
    route: '/api/v1/admin/tenants/:id/admins/:adminId/reset-password',
    prepare: async (ctx) => ({ path: tenantPath(ctx, `/admins/${await tenantAdmin(ctx)}/reset-password`) }),
    auditAction: 'tenant_admin.reset_password',
  },

  {
    method: 'POST',
    route: '/api/v1/admin/tenants/:id/api-keys/rotate',
    prepare: async (ctx) => ({ path: tenantPath(ctx, '/api-keys/rotate'), body: { graceHours: 1 } }),
    auditAction: 'api_key.rotate',
  },
  { method: 'GET', route: '/api/v1/admin/tenants/:id/api-keys', prepare: async (ctx) => ({ path: tenantPath(ctx, '/api-keys') }) },
  {
    method: 'POST',
    route: '/api/v1/tenant/api-keys/rotate',
    prepare: async () => ({ path: '/api/v1/tenant/api-keys/rotate', body: { graceHours: 1 } }),
    auditAction: 'api_key.rotate',
  },
  { method: 'GET', route: '/api/v1/tenant/api-keys', prepare: async () => ({ path: '/api/v1/tenant/api-keys' }) },

  {
    method: 'GET',
    route: '/api/v1/admin/tenants/:id/webhook-secret',
    prepare: async (ctx) => ({ path: tenantPath(ctx, '/webhook-secret') }),
  },
  {
    method: 'PUT',
    route: '/api/v1/admin/tenants/:id/webhook-secret',
    prepare: async (ctx) => ({ path: tenantPath(ctx, '/webhook-secret'), body: {} }),
    auditAction: 'webhook_secret.set',
  },
  {
    method: 'POST',
    route: '/api/v1/admin/tenants/:id/webhook-secret/rotate',
    prepare: async (ctx) => {
      await withSecret(ctx);
      return { path: tenantPath(ctx, '/webhook-secret/rotate'), body: {} };
    },
    auditAction: 'webhook_secret.rotate',
  },
  {
    method: 'DELETE',
    route: '/api/v1/admin/tenants/:id/webhook-secret',
    prepare: async (ctx) => ({ path: tenantPath(ctx, '/webhook-secret') }),
    auditAction: 'webhook_secret.clear',
  },
  { method: 'GET', route: '/api/v1/tenant/webhook-secret', prepare: async () => ({ path: '/api/v1/tenant/webhook-secret' }) },
  {
    method: 'PUT',
    route: '/api/v1/tenant/webhook-secret',
    prepare: async () => ({ path: '/api/v1/tenant/webhook-secret', body: {} }),
    auditAction: 'webhook_secret.set',
  },
  {
    method: 'POST',
    route: '/api/v1/tenant/webhook-secret/rotate',
    prepare: async (ctx) => {
      await withSecret(ctx);
      return { path: '/api/v1/tenant/webhook-secret/rotate', body: {} };
    },
    auditAction: 'webhook_secret.rotate',
  },
  {
    method: 'DELETE',
    route: '/api/v1/tenant/webhook-secret',
    prepare: async () => ({ path: '/api/v1/tenant/webhook-secret' }),
    auditAction: 'webhook_secret.clear',
  },

  {
    method: 'PUT',
    route: '/api/v1/admin/tenants/:id/providers/:providerId/base-url',
    prepare: async (ctx) => ({
      path: tenantPath(ctx, `/providers/${await newProviderConfig(ctx.tenantId)}/base-url`),
      body: { baseUrl: 'https://93.184.216.34/v1' },
    }),
    auditAction: 'provider.base_url.set',
  },

  {
    method: 'POST',
    route: '/api/v1/admin/global-templates',
    prepare: async () => ({
      path: '/api/v1/admin/global-templates',
      body: { eventType: `global.scenario-${randomUUID()}`, template: { channel: 'SMS', body: 'Hello {{name}}' } },
    }),
    auditAction: 'global_template.version.create',
  },
  { method: 'GET', route: '/api/v1/admin/global-templates', prepare: async () => ({ path: '/api/v1/admin/global-templates' }) },
  {
    method: 'GET',
    route: '/api/v1/admin/global-templates/:templateId',
    prepare: async (ctx) => ({ path: `/api/v1/admin/global-templates/${await globalTemplate(ctx)}` }),
  },
  {
    method: 'GET',
    route: '/api/v1/admin/global-templates/:templateId/versions',
    prepare: async (ctx) => ({ path: `/api/v1/admin/global-templates/${await globalTemplate(ctx)}/versions` }),
  },
  {
    method: 'POST',
    route: '/api/v1/admin/global-templates/:templateId/activate',
    prepare: async (ctx) => ({ path: `/api/v1/admin/global-templates/${await globalTemplate(ctx)}/activate`, body: { version: 1 } }),
    auditAction: 'global_template.activate',
  },
];
