import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isUuid } from '@orqestra/db';
import { AppError } from './errors.js';
import { parseJsonBody, toDetails } from './json-body.js';

/**
 * Request helpers shared by the admin routes: page pagination (SPEC §6
 * `{success, data, pagination: {page, limit, total}}`), time ranges, query strings validated like
 * bodies, optional JSON bodies, and resource ids in paths (a malformed id is simply not found: the
 * answer must not differ from another tenant's id).
 */
export const pageQuery = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  limit: z.coerce.number().int().min(1).max(200).default(50),
};
export const pageQuerySchema = z.object(pageQuery);
export type PageQuery = z.infer<typeof pageQuerySchema>;

export const timeRangeQuery = {
  from: z.iso.datetime({ offset: true }).optional().meta({ description: 'Inclusive start (ISO 8601)' }),
  to: z.iso.datetime({ offset: true }).optional().meta({ description: 'Exclusive end (ISO 8601)' }),
};

/** A validated time range as dates (only the ends that were given). */
export function timeRange(q: { from?: string; to?: string }): { from?: Date; to?: Date } {
  return { ...(q.from ? { from: new Date(q.from) } : {}), ...(q.to ? { to: new Date(q.to) } : {}) };
}

/** Query-string parameters, validated like a body (422 listing every problem, paths prefixed `query.`). */
export function parseQuery<S extends z.ZodType>(query: unknown, schema: S): z.infer<S> {
  const result = schema.safeParse(query ?? {});
  if (!result.success)
    throw new AppError('VALIDATION_FAILED', { details: toDetails(result.error.issues).map((d) => ({ ...d, path: `query.${d.path}` })) });
  return result.data;
}

/** A JSON body that may be left out: no body (or an empty one) means the schema's defaults. */
export function parseOptionalJsonBody<S extends z.ZodType>(request: FastifyRequest, schema: S): z.infer<S> {
  if (!request.rawBody || request.rawBody.length === 0) return schema.parse({});
  return parseJsonBody(request, schema);
}

/** A uuid path parameter; anything else is NOT_FOUND. */
export function idParam(value: string | undefined): string {
  if (!value || !isUuid(value)) throw new AppError('NOT_FOUND');
  return value;
}

export interface Page<T> {
  success: true;
  data: T[];
  pagination: { page: number; limit: number; total: number };
}

/** The SPEC §6 list shape. */
export function paginated<T>(data: T[], query: PageQuery, total: number): Page<T> {
  return { success: true, data, pagination: { page: query.page, limit: query.limit, total } };
}
