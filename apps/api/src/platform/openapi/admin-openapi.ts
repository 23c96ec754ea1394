import type { OpenAPIRegistry, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { errorResponse } from './openapi.js';

/**
 * OpenAPI pieces shared by every admin route: the bearer scheme (registered once,
 * whoever registers first), the standard error answers, and the page envelope.
 */
export function adminBearer(registry: OpenAPIRegistry): { adminBearer: string[] }[] {
  const known = registry.definitions.some(
    (d) => d.type === 'component' && d.componentType === 'securitySchemes' && d.name === 'adminBearer',
  );
  if (!known) registry.registerComponent('securitySchemes', 'adminBearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  return [{ adminBearer: [] }];
}

export function adminErrors(extra: Record<number, string> = {}) {
  const base: Record<number, string> = {
    401: 'UNAUTHENTICATED: no or bad access token',
    403: 'FORBIDDEN (role) or PASSWORD_CHANGE_REQUIRED',
    404: "NOT_FOUND: no such resource in this tenant (another tenant's ids are not found either)",
    422: 'VALIDATION_FAILED: details lists every bad field',
    ...extra,
  };
  return Object.fromEntries(Object.entries(base).map(([status, description]) => [status, errorResponse(description)]));
}

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    success: z.literal(true),
    data: z.array(item),
    pagination: z.object({ page: z.number().int(), limit: z.number().int(), total: z.number().int() }),
  });
}

export function dataOf<T extends z.ZodType>(item: T) {
  return z.object({ success: z.literal(true), data: item });
}

export function json<T extends z.ZodType>(description: string, schema: T) {
  return { description, content: { 'application/json': { schema } } };
}

/** A JSON request body; `required: false` when leaving it out means the defaults. */
export function jsonBody<T extends z.ZodType>(schema: T, required = true) {
  return { required, content: { 'application/json': { schema } } };
}

export const idParams = z.object({ id: z.uuid() });

/**
 * Registers operator-only routes under one tag: the admin bearer scheme, and the standard errors
 * with 403 meaning "platform operators only" (plus each route's own extra answers).
 */
export function operatorRoutes(registry: OpenAPIRegistry, tag: string) {
  const security = adminBearer(registry);
  return (config: Omit<RouteConfig, 'security' | 'tags'>, extra: Record<number, string> = {}) =>
    registry.registerPath({
      ...config,
      tags: [tag],
      security,
      responses: { ...config.responses, ...adminErrors({ 403: 'FORBIDDEN: platform operators only', ...extra }) },
    });
}
