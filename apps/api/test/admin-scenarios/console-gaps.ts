import { newProviderConfig } from '../fixtures.js';
import type { RouteScenario } from './types.js';

/**
 * Routes the admin console needed beyond the first admin API (issue 11 item 5): draft preview,
 * disabling and re-enabling tenant admins, the operator's bulk dead-letter actions, the
 * operator's view of a tenant's providers.
 */
const draft = { eventType: 'scenario.draft', channel: 'EMAIL', bodyFormat: 'html', subject: 'Hi {{name}}', body: '<p>Hi {{name}}</p>', variables: { name: 'Ada' } };

export const scenarios: RouteScenario[] = [
  { method: 'POST', route: '/api/v1/tenant/templates/preview', prepare: async () => ({ path: '/api/v1/tenant/templates/preview', body: draft }), auditAction: 'template.preview' },
  { method: 'POST', route: '/api/v1/admin/global-templates/preview', prepare: async () => ({ path: '/api/v1/admin/global-templates/preview', body: { ...draft, eventType: 'global.scenario' } }), auditAction: 'template.preview' },
  {
    method: 'GET',
    route: '/api/v1/admin/tenants/:id/providers',
    prepare: async (ctx) => {
      await newProviderConfig(ctx.tenantId);
      return { path: `/api/v1/admin/tenants/${ctx.tenantId}/providers` };
    },
  },
];
