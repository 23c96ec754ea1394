import { z } from 'zod';
import { timeRange, timeRangeQuery } from '../../platform/query-params.js';

export const usageQuery = z.object({ ...timeRangeQuery, granularity: z.enum(['hour', 'day']).default('hour') });

/** The parsed query as UsageService takes it (from/to as dates). */
export const usageRange = (q: z.infer<typeof usageQuery>) => ({ granularity: q.granularity, ...timeRange(q) });
