import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import {
  createProviderBody,
  setBaseUrlSchema,
  listProvidersQuery,
  providerViewSchema,
  providerWithBreakerSchema,
  testResultSchema,
  updateProviderBody,
} from './provider.schemas.js';
import {
  adminBearer,
  adminErrors,
  dataOf,
  idParams,
  json,
  jsonBody,
  operatorRoutes,
  pageOf,
} from '../../platform/openapi/admin-openapi.js';

export function registerProviderRoutes(registry: OpenAPIRegistry): void {
  const security = adminBearer(registry);
  const tags = ['Tenant: providers'];
  const base = '/api/v1/tenant/providers';
  registry.registerPath({
    method: 'get',
    path: base,
    tags,
    security,
    summary: "List the tenant's provider configs (tenant:viewer)",
    description:
      'Each config carries `breaker`: its circuit breaker as the gateways report it (worst fresh state, last error, per-gateway snapshots).',
    request: { query: listProvidersQuery },
    responses: {
      200: json('Configs by channel and priority; secrets shown as last 4 only', pageOf(providerWithBreakerSchema)),
      ...adminErrors(),
    },
  });
  registry.registerPath({
    method: 'get',
    path: `${base}/{id}`,
    tags,
    security,
    summary: 'One provider config (tenant:viewer)',
    request: { params: idParams },
    responses: { 200: json('The config with its breaker state', dataOf(providerWithBreakerSchema)), ...adminErrors() },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/admin/tenants/{id}/providers',
    tags: ['Operator: tenants'],
    security,
    summary: "A tenant's provider configs, read-only, with breaker state (operator)",
    request: { params: idParams, query: listProvidersQuery },
    responses: {
      200: json('Configs by channel and priority; secrets shown as last 4 only', pageOf(providerWithBreakerSchema)),
      ...adminErrors({ 404: 'NOT_FOUND: no such tenant' }),
    },
  });
  registry.registerPath({
    method: 'post',
    path: base,
    tags,
    security,
    summary: 'Connect a provider account (tenant:admin)',
    description:
      "Credentials are validated against the provider's schema, stored encrypted and never returned. A base URL is an operator's override: sending one is refused.",
    request: { body: jsonBody(createProviderBody) },
    responses: {
      201: json('Created', dataOf(providerViewSchema)),
      ...adminErrors({ 403: 'FORBIDDEN, or BASE_URL_OPERATOR_ONLY when baseUrl is sent' }),
    },
  });
  registry.registerPath({
    method: 'patch',
    path: `${base}/{id}`,
    tags,
    security,
    summary: 'Change priority, enabled, send rate, settings or credentials (tenant:admin)',
    request: { params: idParams, body: jsonBody(updateProviderBody) },
    responses: {
      200: json('Updated', dataOf(providerViewSchema)),
      ...adminErrors({ 403: 'FORBIDDEN, or BASE_URL_OPERATOR_ONLY when baseUrl is sent' }),
    },
  });
  registry.registerPath({
    method: 'delete',
    path: `${base}/{id}`,
    tags,
    security,
    summary: 'Delete a provider config (tenant:admin); to pause one, PATCH enabled=false',
    request: { params: idParams },
    responses: { 200: json('Deleted', z.object({ success: z.literal(true) })), ...adminErrors() },
  });
  registry.registerPath({
    method: 'post',
    path: `${base}/{id}/test`,
    tags,
    security,
    summary: 'Test the connection with the stored credentials (tenant:admin)',
    description:
      "Checks the credentials against the vendor without sending to anyone where the vendor allows it. Answers a code only, never the vendor's body.",
    request: { params: idParams },
    responses: { 200: json('The coded outcome', dataOf(testResultSchema)), ...adminErrors() },
  });
}

/** The operator's base-URL override of a tenant's provider config (SPEC §5), listed with the tenant routes. */
export function registerProviderBaseUrlRoutes(registry: OpenAPIRegistry): void {
  const route = operatorRoutes(registry, 'Operator: tenants');
  route(
    {
      method: 'put',
      path: '/api/v1/admin/tenants/{id}/providers/{providerId}/base-url',
      summary: "Override a provider's base URL (https, public addresses only)",
      request: { params: z.object({ id: z.uuid(), providerId: z.uuid() }), body: jsonBody(setBaseUrlSchema) },
      responses: {
        200: json(
          'Set',
          dataOf(
            z.object({
              providerId: z.uuid(),
              tenantId: z.uuid(),
              provider: z.string(),
              channel: z.string(),
              baseUrl: z.string().nullable(),
            }),
          ),
        ),
      },
    },
    { 422: 'VALIDATION_FAILED, or BASE_URL_NOT_ALLOWED: not https, or resolves to a loopback/private address' },
  );
}
