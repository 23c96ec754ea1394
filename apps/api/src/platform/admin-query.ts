import { z } from 'zod';
import { isUuid } from '@orqestra/db';
import { AppError } from '../../platform/errors.js';
import { toDetails } from '../../platform/json-body.js';

/**
 * Query-string helpers shared by the admin read routes: page pagination (SPEC §6
 * `{success, data, pagination: {page, limit, total}}`), time ranges, and resource ids in paths
 * (a malformed id is simply not found: the answer must not differ from another tenant's id).
 */
export const pageQuery = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  limit: z.coerce.number().int().min(1).max(200).default(50),
};

export const timeRangeQuery = {
  from: z.iso.datetime({ offset: true }).optional().meta({ description: 'Inclusive start (ISO 8601)' }),
  to: z.iso.datetime({ offset: true }).optional().meta({ description: 'Exclusive end (ISO 8601)' }),
};

export function parseQuery<S extends z.ZodType>(query: unknown, schema: S): z.infer<S> {
  const result = schema.safeParse(query ?? {});
  if (!result.success) throw new AppError('VALIDATION_FAILED', { details: toDetails(result.error.issues).map((d) => ({ ...d, path: `query.${d.path}` })) });
  return result.data;
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

export function page<T>(data: T[], pageNumber: number, limit: number, total: number): Page<T> {
  return { success: true, data, pagination: { page: pageNumber, limit, total } };
}

export function paginationSchema() {
  return z.object({ page: z.number().int(), limit: z.number().int(), total: z.number().int() });
}
