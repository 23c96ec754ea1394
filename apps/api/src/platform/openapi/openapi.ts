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
      details: z.array(z.object({ path: z.string(), message: z.string(), line: z.number().int().optional(), column: z.number().int().optional() })).optional(),
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
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Orqestra API',
      version: '1.0.0',
      description: 'Multi-tenant notification orchestration: trigger events, follow their delivery. Guide: docs/api.md.',
    },
    servers: [{ url: '/' }],
    security: [{ apiKey: [] }],
  });
}
