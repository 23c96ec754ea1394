import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ERROR_CODES } from '@orqestra/contracts';

/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate requests. Each
 * feature contributes its routes through a `register*` function; nothing is written by hand.
 */
export const errorBodySchema = z
  .object({
    success: z.literal(false),
    error: z.object({
      code: z.enum(Object.keys(ERROR_CODES) as [keyof typeof ERROR_CODES, ...(keyof typeof ERROR_CODES)[]]),
      message: z.string(),
      details: z
        .array(z.object({ path: z.string(), message: z.string(), line: z.number().int().optional(), column: z.number().int().optional() }))
        .optional(),
    }),
    traceId: z.string(),
  })
  .meta({ id: 'Error', description: 'Every error has this shape (SPEC §2.1).' });

export function errorResponse(description: string) {
  return { description, content: { 'application/json': { schema: errorBodySchema } } };
}

export const apiKeyHeader = { 'x-api-key': z.string().meta({ description: 'The tenant API key (oq_live_… or oq_test_…).' }) };

export type RouteRegistrar = (registry: OpenAPIRegistry) => void;

export function buildOpenApiDocument(registrars: RouteRegistrar[]) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'apiKey', { type: 'apiKey', in: 'header', name: 'x-api-key' });
  for (const register of registrars) register(registry);
  const document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Orqestra API',
      version: '1.0.0',
      description: 'Multi-tenant notification orchestration: trigger events, follow their delivery. Guide: docs/api.md.',
    },
    servers: [{ url: '/' }],
    security: [{ apiKey: [] }],
  });
  documentInputErrors((document.paths ?? {}) as unknown as Record<string, Record<string, unknown>>);
  return document;
}

type Operation = { parameters?: unknown[]; requestBody?: { required?: boolean } | { $ref: string }; responses?: Record<string, unknown> };

/**
 * What every route answers to bad input, added to each operation instead of repeated in each
 * feature: a JSON body is required unless the route said otherwise, and may be answered 415 (not
 * JSON) and 422 (invalid, too deep, NUL characters); any parameter may be answered 422 (NUL
 * characters, bad values).
 */
function documentInputErrors(paths: Record<string, Record<string, unknown>>): void {
  const errorRef = { description: '', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  for (const item of Object.values(paths)) {
    for (const operation of Object.values(item) as Operation[]) {
      if (operation === null || typeof operation !== 'object' || !operation.responses) continue;
      const responses = operation.responses;
      if (operation.requestBody && !('$ref' in operation.requestBody)) {
        operation.requestBody.required ??= true;
        responses['415'] ??= { ...errorRef, description: 'UNSUPPORTED_MEDIA_TYPE: the body is not JSON' };
        responses['422'] ??= { ...errorRef, description: 'VALIDATION_FAILED: details lists every bad field' };
      }
      if (operation.parameters?.length) responses['422'] ??= { ...errorRef, description: 'VALIDATION_FAILED: a parameter is invalid' };
    }
  }
}
