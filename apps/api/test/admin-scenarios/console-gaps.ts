import { randomUUID } from 'node:crypto';
import { insertTenantAdmin, withOperator } from '@orqestra/db';
import { seedLog } from '../admin-fixtures.js';
import { newProviderConfig, testDatabase } from '../fixtures.js';
import type { RouteScenario, ScenarioContext } from './types.js';

/**
 * Routes the admin console needed beyond the first admin API (issue 11 item 5): draft preview,
 * disabling and re-enabling tenant admins, the operator's bulk dead-letter actions, the
 * operator's view of a tenant's providers.
 */
async function tenantAdmin(ctx: ScenarioContext, status: 'active' | 'disabled'): Promise<string> {
  return withOperator(testDatabase(), 'tests', async (tx) => {
    const row = await insertTenantAdmin(tx, {
      tenantId: ctx.tenantId,
      email: `scenario-${randomUUID()}@example.com`,
      passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$placeholder$placeholder',
    });
    if (status === 'disabled') await tx.db.updateTable('tenant_admins').set({ status }).where('id', '=', row.id).execute();
    return row.id;
  });
}

const draft = {
  eventType: 'scenario.draft',
  channel: 'EMAIL',
  bodyFormat: 'html',
  subject: 'Hi {{name}}',
  body: '<p>Hi {{name}}</p>',
  variables: { name: 'Ada' },
};

export const scenarios: RouteScenario[] = [
  {
    method: 'POST',
    route: '/api/v1/tenant/templates/preview',
    prepare: async () => ({ path: '/api/v1/tenant/templates/preview', body: draft }),
    auditAction: 'template.preview',
  },
  {
    method: 'POST',
    route: '/api/v1/admin/global-templates/preview',
    prepare: async () => ({ path: '/api/v1/admin/global-templates/preview', body: { ...draft, eventType: 'global.scenario' } }),
    auditAction: 'template.preview',
  },
  {
    method: 'POST',
    route: '/api/v1/admin/tenants/:id/admins/:adminId/disable',
    prepare: async (ctx) => ({ path: `/api/v1/admin/tenants/${ctx.tenantId}/admins/${await tenantAdmin(ctx, 'active')}/disable` }),
    auditAction: 'tenant_admin.disable',
  },
  {
    method: 'POST',
    route: '/api/v1/admin/tenants/:id/admins/:adminId/enable',
    prepare: async (ctx) => ({ path: `/api/v1/admin/tenants/${ctx.tenantId}/admins/${await tenantAdmin(ctx, 'disabled')}/enable` }),
    auditAction: 'tenant_admin.enable',
  },
  ...(['replay', 'discard'] as const).map((action): RouteScenario => ({
    method: 'POST',
    route: `/api/v1/admin/dlq/${action}`,
    prepare: async (ctx) => {
      await seedLog(ctx.tenantId, { status: 'FAILED', provider: 'resend', deadLetter: true });
      return { path: `/api/v1/admin/dlq/${action}`, body: { filter: { tenantId: ctx.tenantId }, limit: 1, reason: 'scenario' } };
    },
    auditAction: `dlq.bulk_${action}`,
  })),
  {
    method: 'GET',
    route: '/api/v1/admin/tenants/:id/providers',
    prepare: async (ctx) => {
      await newProviderConfig(ctx.tenantId);
      return { path: `/api/v1/admin/tenants/${ctx.tenantId}/providers` };
    },
  },
];
