import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { adminBearer, adminErrors, dataOf, json } from '../../platform/openapi/admin-openapi.js';

const tenantAdminView = z
  .object({
    id: z.uuid(),
    tenantId: z.uuid(),
    email: z.string(),
    role: z.enum(['admin', 'viewer']),
    status: z.enum(['active', 'disabled']),
    mustChangePassword: z.boolean(),
    createdAt: z.iso.datetime(),
    lastLoginAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'TenantAdminStatusView' });

const adminParams = z.object({ id: z.uuid(), adminId: z.uuid() });

/** Disabling and enabling a tenant's console users (create, list and reset are in tenant-management.openapi.ts). */
export function registerTenantAdminRoutes(registry: OpenAPIRegistry): void {
  const security = adminBearer(registry);
  const tags = ['Operator: tenants'];
  const errors = adminErrors({ 403: 'FORBIDDEN: platform operators only', 404: 'NOT_FOUND: no such tenant, or no such admin in it', 409: 'CONFLICT: the tenant is deleted' });
  registry.registerPath({
    method: 'post', path: '/api/v1/admin/tenants/{id}/admins/{adminId}/disable', tags, security, summary: 'Disable a tenant admin or viewer: sign-in refused, sessions and access tokens ended at once',
    description: 'Idempotent: disabling a disabled admin answers 200 with sessionsRevoked 0 and writes no audit entry. Redis unreachable → 503 UNAVAILABLE (disable again).',
    request: { params: adminParams },
    responses: { 200: json('Disabled', dataOf(z.object({ admin: tenantAdminView, sessionsRevoked: z.number().int() }))), ...errors },
  });
  registry.registerPath({
    method: 'post', path: '/api/v1/admin/tenants/{id}/admins/{adminId}/enable', tags, security, summary: 'Enable a disabled tenant admin or viewer again (same password; old sessions stay ended)',
    request: { params: adminParams },
    responses: { 200: json('Active', dataOf(z.object({ admin: tenantAdminView }))), ...errors },
  });
}
