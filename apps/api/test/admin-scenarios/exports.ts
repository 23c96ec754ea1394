import { seedLog } from '../admin-fixtures.js';
import type { RouteScenario } from './types.js';

/**
 * CSV exports of the logs and the audit log (issue 11): reads that write an audit entry, so their
 * scenarios name it and the generated tests check one entry per allowed caller.
 */
export const scenarios: RouteScenario[] = [
  {
    method: 'GET',
    route: '/api/v1/tenant/logs/export',
    prepare: async (ctx) => {
      await seedLog(ctx.tenantId, { status: 'SENT' });
      return { path: '/api/v1/tenant/logs/export?status=SENT' };
    },
    auditAction: 'logs.export',
  },
  {
    method: 'GET',
    route: '/api/v1/admin/logs/export',
    prepare: async (ctx) => {
      await seedLog(ctx.tenantId, { status: 'SENT' });
      return { path: `/api/v1/admin/logs/export?tenantId=${ctx.tenantId}` };
    },
    auditAction: 'logs.export',
  },
  {
    method: 'GET',
    route: '/api/v1/tenant/audit/export',
    prepare: async () => ({ path: '/api/v1/tenant/audit/export' }),
    auditAction: 'audit.export',
  },
  {
    method: 'GET',
    route: '/api/v1/admin/audit/export',
    prepare: async (ctx) => ({ path: `/api/v1/admin/audit/export?tenantId=${ctx.tenantId}` }),
    auditAction: 'audit.export',
  },
];
