import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { usageQuery } from './usage.schemas.js';
import { adminBearer, adminErrors, dataOf, json } from '../../platform/openapi/admin-openapi.js';

const statsSchema = z.object({
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  granularity: z.enum(['hour', 'day']),
  buckets: z.array(z.object({ start: z.iso.datetime(), channel: z.string(), status: z.string(), count: z.number().int() })),
  totals: z.object({ byStatus: z.record(z.string(), z.number().int()), byChannel: z.record(z.string(), z.number().int()) }),
});
const rateSchema = z.object({
  perMinute: z.object({ limit: z.number().int(), burst: z.number().int(), remaining: z.number().int(), resetSeconds: z.number().int() }),
  daily: z.object({ cap: z.number().int(), used: z.number().int(), remaining: z.number().int(), resetsAt: z.iso.datetime() }),
  at: z.iso.datetime(),
});

export function registerUsageRoutes(registry: OpenAPIRegistry): void {
  const security = adminBearer(registry);
  registry.registerPath({
    method: 'get',
    path: '/api/v1/tenant/usage',
    tags: ['Tenant: usage'],
    security,
    summary: 'Live notifications per hour or day by channel and status (tenant:viewer)',
    description: 'Default range: the last 24 hours (hourly) or 30 days (daily). At most 31 days hourly, 400 days daily.',
    request: { query: usageQuery },
    responses: { 200: json('Counts', dataOf(statsSchema)), ...adminErrors() },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/tenant/usage/rate-limit',
    tags: ['Tenant: usage'],
    security,
    summary: 'Current rate-limit and daily-cap usage of live triggers (tenant:viewer)',
    responses: { 200: json('Usage now', dataOf(rateSchema)), ...adminErrors({ 503: 'UNAVAILABLE: Redis unreachable' }) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/admin/stats',
    tags: ['Operator: stats'],
    security,
    summary: 'Platform figures: notifications by channel and status, tenants by status, events, waiting dead letters (operator)',
    request: { query: usageQuery },
    responses: {
      200: json(
        'Figures',
        dataOf(
          statsSchema.extend({
            tenants: z.record(z.string(), z.number().int()),
            eventsInRange: z.number().int(),
            deadLettersWaiting: z.number().int(),
          }),
        ),
      ),
      ...adminErrors(),
    },
  });
}
