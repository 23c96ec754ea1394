import type { OpenAPIRegistry, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { pageQuerySchema as pageQuery } from '../../platform/query-params.js';
import { adminBearer, adminErrors, dataOf, json as ok, jsonBody as body, pageOf } from '../../platform/openapi/admin-openapi.js';
import {
  createTenantAdminSchema,
  createTenantSchema,
  rotateApiKeySchema,
  rotateWebhookSecretSchema,
  setWebhookSecretSchema,
  tenantListQuerySchema,
  tenantSchema,
  updateTenantSchema,
} from './tenant.schemas.js';

const apiKeyView = z
  .object({
    id: z.uuid(),
    displayPrefix: z.string().meta({ description: 'oq_live_ plus 4 characters; the key itself is never shown again.' }),
    mode: z.enum(['live', 'sandbox']),
    state: z.enum(['active', 'expiring', 'expired', 'revoked']),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime().nullable(),
    revokedAt: z.iso.datetime().nullable(),
    lastUsedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ApiKey' });
const rotatedKey = z.object({
  apiKey: z.string().meta({ description: 'The new live key: shown only in this answer.' }),
  key: apiKeyView,
  previous: z.array(apiKeyView),
});
const secretState = z.object({ set: z.boolean(), previousValidUntil: z.iso.datetime().nullable() }).meta({ id: 'WebhookSecretState' });
const shownSecret = secretState.extend({
  webhookSecret: z.string().meta({ description: 'The secret now in force: shown only in this answer.' }),
});
const tenantAdmin = z
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
  .meta({ id: 'TenantAdmin' });
const withPassword = z.object({
  admin: tenantAdmin,
  temporaryPassword: z.string().meta({ description: 'Shown once; must be changed at first login.' }),
});
const tenantId = z.object({ id: z.uuid() });

/** Operator and tenant-admin routes of tenant management (SPEC §6), all behind the admin bearer token. */
export function registerTenantRoutes(registry: OpenAPIRegistry): void {
  const security = adminBearer(registry);
  const route = (config: Omit<RouteConfig, 'security' | 'tags'> & { operator?: boolean }, extra: Record<number, string> = {}) => {
    const { operator = true, ...rest } = config;
    const forbidden = operator ? 'FORBIDDEN: platform operators only' : 'FORBIDDEN (viewers may only read) or PASSWORD_CHANGE_REQUIRED';
    registry.registerPath({
      ...rest,
      tags: [operator ? 'Operator: tenants' : 'Tenant admin: keys and signing'],
      security,
      responses: { ...rest.responses, ...adminErrors({ 403: forbidden, ...extra }) },
    });
  };
  const conflict = { 409: 'CONFLICT: the tenant is deleted, or not in the state this action starts from' };

  route({
    method: 'post',
    path: '/api/v1/admin/tenants',
    summary: 'Create a tenant (its live API key is shown once)',
    request: { body: body(createTenantSchema) },
    responses: { 201: ok('Created', dataOf(z.object({ tenant: tenantSchema, apiKey: z.string(), apiKeyPrefix: z.string() }))) },
  });
  route({
    method: 'get',
    path: '/api/v1/admin/tenants',
    summary: 'List tenants',
    request: { query: tenantListQuerySchema },
    responses: { 200: ok('A page of tenants', pageOf(tenantSchema)) },
  });
  route({
    method: 'get',
    path: '/api/v1/admin/tenants/{id}',
    summary: 'One tenant',
    request: { params: tenantId },
    responses: { 200: ok('The tenant', dataOf(tenantSchema)) },
  });
  route(
    {
      method: 'patch',
      path: '/api/v1/admin/tenants/{id}',
      summary: 'Change settings (limits apply everywhere at once)',
      request: { params: tenantId, body: body(updateTenantSchema) },
      responses: { 200: ok('Updated', dataOf(tenantSchema)) },
    },
    conflict,
  );
  route(
    {
      method: 'post',
      path: '/api/v1/admin/tenants/{id}/suspend',
      summary: 'Suspend: its keys answer 403 TENANT_SUSPENDED (within 5 s everywhere)',
      request: { params: tenantId },
      responses: { 200: ok('Suspended', dataOf(tenantSchema)) },
    },
    conflict,
  );
  route(
    {
      method: 'post',
      path: '/api/v1/admin/tenants/{id}/reactivate',
      summary: 'Reactivate a suspended tenant',
      request: { params: tenantId },
      responses: { 200: ok('Active', dataOf(tenantSchema)) },
    },
    conflict,
  );
  route(
    {
      method: 'delete',
      path: '/api/v1/admin/tenants/{id}',
      summary: 'Soft delete: status deleted; its keys are refused',
      request: { params: tenantId },
      responses: { 200: ok('Deleted', dataOf(tenantSchema)) },
    },
    conflict,
  );

  const adminParams = z.object({ id: z.uuid(), adminId: z.uuid() });
  route(
    {
      method: 'post',
      path: '/api/v1/admin/tenants/{id}/admins',
      summary: 'Create a tenant admin with a temporary password (shown once)',
      request: { params: tenantId, body: body(createTenantAdminSchema) },
      responses: { 201: ok('Created', dataOf(withPassword)) },
    },
    { 409: 'CONFLICT: the email address is taken, or the tenant is deleted' },
  );
  route({
    method: 'get',
    path: '/api/v1/admin/tenants/{id}/admins',
    summary: "A tenant's admins",
    request: { params: tenantId, query: pageQuery },
    responses: { 200: ok('A page of admins', pageOf(tenantAdmin)) },
  });
  route(
    {
      method: 'post',
      path: '/api/v1/admin/tenants/{id}/admins/{adminId}/reset-password',
      summary: 'New temporary password; revokes the admin’s sessions',
      request: { params: adminParams },
      responses: { 200: ok('Reset', dataOf(withPassword)) },
    },
    conflict,
  );

  for (const [prefix, operator, params] of [
    ['/api/v1/admin/tenants/{id}', true, { params: tenantId }],
    ['/api/v1/tenant', false, {}],
  ] as const) {
    route(
      {
        operator,
        method: 'post',
        path: `${prefix}/api-keys/rotate`,
        summary: 'Rotate the live API key (old keys keep working for the grace period)',
        request: { ...params, body: body(rotateApiKeySchema, false) },
        responses: { 200: ok('The new key, shown once', dataOf(rotatedKey)) },
      },
      conflict,
    );
    route(
      {
        operator,
        method: 'get',
        path: `${prefix}/api-keys`,
        summary: 'Live API keys (prefixes only)',
        request: { ...params, query: pageQuery },
        responses: { 200: ok('A page of keys', pageOf(apiKeyView)) },
      },
      conflict,
    );
    route(
      {
        operator,
        method: 'get',
        path: `${prefix}/webhook-secret`,
        summary: 'Whether request signing is on',
        request: { ...params },
        responses: { 200: ok('State', dataOf(secretState)) },
      },
      conflict,
    );
    route(
      {
        operator,
        method: 'put',
        path: `${prefix}/webhook-secret`,
        summary: 'Set the webhook secret (given or generated), effective at once',
        request: { ...params, body: body(setWebhookSecretSchema, false) },
        responses: { 200: ok('The secret, shown once', dataOf(shownSecret)) },
      },
      conflict,
    );
    route(
      {
        operator,
        method: 'post',
        path: `${prefix}/webhook-secret/rotate`,
        summary: 'Rotate: both secrets verify during the grace (24 h)',
        request: { ...params, body: body(rotateWebhookSecretSchema, false) },
        responses: { 200: ok('The new secret, shown once', dataOf(shownSecret)) },
      },
      { 409: 'CONFLICT: no secret to rotate, or the tenant is deleted' },
    );
    route(
      {
        operator,
        method: 'delete',
        path: `${prefix}/webhook-secret`,
        summary: 'Clear: requests need no signature',
        request: { ...params },
        responses: { 200: ok('Cleared', dataOf(secretState)) },
      },
      conflict,
    );
  }
}

const tenantAdminStatusView = z
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

const adminIdParams = z.object({ id: z.uuid(), adminId: z.uuid() });

/** Disabling and enabling a tenant's console users (create, list and reset are registered above). */
export function registerTenantAdminStatusRoutes(registry: OpenAPIRegistry): void {
  const security = adminBearer(registry);
  const tags = ['Operator: tenants'];
  const errors = adminErrors({
    403: 'FORBIDDEN: platform operators only',
    404: 'NOT_FOUND: no such tenant, or no such admin in it',
    409: 'CONFLICT: the tenant is deleted',
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/admin/tenants/{id}/admins/{adminId}/disable',
    tags,
    security,
    summary: 'Disable a tenant admin or viewer: sign-in refused, sessions and access tokens ended at once',
    description:
      'Idempotent: disabling a disabled admin answers 200 with sessionsRevoked 0 and writes no audit entry. Redis unreachable → 503 UNAVAILABLE (disable again).',
    request: { params: adminIdParams },
    responses: { 200: ok('Disabled', dataOf(z.object({ admin: tenantAdminStatusView, sessionsRevoked: z.number().int() }))), ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/admin/tenants/{id}/admins/{adminId}/enable',
    tags,
    security,
    summary: 'Enable a disabled tenant admin or viewer again (same password; old sessions stay ended)',
    request: { params: adminIdParams },
    responses: { 200: ok('Active', dataOf(z.object({ admin: tenantAdminStatusView }))), ...errors },
  });
}
