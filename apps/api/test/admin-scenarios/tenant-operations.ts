import { randomUUID } from 'node:crypto';
import { withTenant } from '@orqestra/db';
import { TemplateService } from '../../src/features/templates/template.service.js';
import { newProviderConfig, testDatabase } from '../fixtures.js';
import { seedLog } from '../admin-fixtures.js';
import type { RouteScenario, ScenarioContext } from './types.js';

/**
 * The tenant admin's read/operate routes (providers, templates, logs, events, dead letters, usage,
 * audit) and the operator's cross-tenant views of logs, dead letters, stats and audit.
 */
async function provider(ctx: ScenarioContext): Promise<string> {
  // A loopback override the shared API refuses (no development flag): the test answers at once, with a code.
  return newProviderConfig(ctx.tenantId, {
    baseUrl: 'http://127.0.0.1:9',
    credentials: { apiKey: 're_scenario_key', fromAddress: 'a@shop.example' },
  });
}

async function template(ctx: ScenarioContext): Promise<string> {
  const saved = await new TemplateService(testDatabase()).saveVersion(
    { kind: 'tenant', tenantId: ctx.tenantId, actor: { type: 'tenant_admin', id: 'scenario' } },
    {
      eventType: `scenario.${randomUUID().slice(0, 8)}`,
      draft: { channel: 'EMAIL', bodyFormat: 'html', subject: 'Hi {{name}}', body: '<p>Hi {{name}}</p>' },
      activate: true,
      createdBy: 'scenario',
    },
  );
  return saved.templateId;
}

const deadLetter = async (ctx: ScenarioContext) =>
  (await seedLog(ctx.tenantId, { status: 'FAILED', provider: 'resend', deadLetter: true })).id;

async function event(ctx: ScenarioContext): Promise<string> {
  const eventId = `evt-${randomUUID()}`;
  await withTenant(testDatabase(), { tenantId: ctx.tenantId, actorType: 'system_tenant', actorId: 'tests' }, (tx) =>
    tx.db
      .insertInto('events')
      .values({
        tenant_id: ctx.tenantId,
        mode: 'live',
        event_id: eventId,
        event_type: 'order.shipped',
        trace_id: 'scenario',
        status: 'processed',
        received_at: new Date(),
        processed_at: new Date(),
      })
      .execute(),
  );
  return eventId;
}

const get = (route: string, path: (ctx: ScenarioContext) => Promise<string> | string = () => route): RouteScenario => ({
  method: 'GET',
  route,
  prepare: async (ctx) => ({ path: await path(ctx) }),
});

export const scenarios: RouteScenario[] = [
  // providers
  get('/api/v1/tenant/providers'),
  get('/api/v1/tenant/providers/:id', async (ctx) => `/api/v1/tenant/providers/${await provider(ctx)}`),
  {
    method: 'POST',
    route: '/api/v1/tenant/providers',
    prepare: async () => ({
      path: '/api/v1/tenant/providers',
      body: { channel: 'EMAIL', provider: 'resend', credentials: { apiKey: 're_scenario_key', fromAddress: 'a@shop.example' } },
    }),
    auditAction: 'provider.create',
  },
  {
    method: 'PATCH',
    route: '/api/v1/tenant/providers/:id',
    prepare: async (ctx) => ({ path: `/api/v1/tenant/providers/${await provider(ctx)}`, body: { priority: 2 } }),
    auditAction: 'provider.update',
  },
  {
    method: 'DELETE',
    route: '/api/v1/tenant/providers/:id',
    prepare: async (ctx) => ({ path: `/api/v1/tenant/providers/${await provider(ctx)}` }),
    auditAction: 'provider.delete',
  },
  {
    method: 'POST',
    route: '/api/v1/tenant/providers/:id/test',
    prepare: async (ctx) => ({ path: `/api/v1/tenant/providers/${await provider(ctx)}/test` }),
    auditAction: 'provider.test',
  },
  // templates
  get('/api/v1/tenant/templates'),
  {
    method: 'POST',
    route: '/api/v1/tenant/templates',
    prepare: async () => ({
      path: '/api/v1/tenant/templates',
      body: { eventType: 'scenario.created', channel: 'SMS', body: 'Hi {{name}}' },
    }),
    auditAction: 'template.version.create',
  },
  get('/api/v1/tenant/templates/:id/versions', async (ctx) => `/api/v1/tenant/templates/${await template(ctx)}/versions`),
  {
    method: 'POST',
    route: '/api/v1/tenant/templates/:id/activate',
    prepare: async (ctx) => ({ path: `/api/v1/tenant/templates/${await template(ctx)}/activate`, body: { version: 1 } }),
    auditAction: 'template.activate',
  },
  {
    method: 'POST',
    route: '/api/v1/tenant/templates/:id/deactivate',
    prepare: async (ctx) => ({ path: `/api/v1/tenant/templates/${await template(ctx)}/deactivate` }),
    auditAction: 'template.deactivate',
  },
  {
    method: 'POST',
    route: '/api/v1/tenant/templates/:id/preview',
    prepare: async (ctx) => ({ path: `/api/v1/tenant/templates/${await template(ctx)}/preview`, body: { variables: { name: 'Ada' } } }),
    auditAction: 'template.preview',
  },
  {
    method: 'POST',
    route: '/api/v1/tenant/templates/:id/test-send',
    prepare: async (ctx) => ({
      path: `/api/v1/tenant/templates/${await template(ctx)}/test-send`,
      body: { recipient: { email: 'qa@example.com' }, variables: { name: 'QA' } },
    }),
    auditAction: 'template.test_send',
  },
  // logs and events
  get('/api/v1/tenant/logs'),
  get('/api/v1/tenant/logs/:id', async (ctx) => `/api/v1/tenant/logs/${(await seedLog(ctx.tenantId)).id}`),
  get('/api/v1/tenant/events'),
  get('/api/v1/tenant/events/:eventId', async (ctx) => `/api/v1/tenant/events/${await event(ctx)}`),
  get('/api/v1/admin/logs'),
  get('/api/v1/admin/logs/:id', async (ctx) => `/api/v1/admin/logs/${(await seedLog(ctx.tenantId)).id}`),
  // dead letters
  get('/api/v1/tenant/dlq'),
  get('/api/v1/tenant/dlq/:id', async (ctx) => `/api/v1/tenant/dlq/${await deadLetter(ctx)}`),
  {
    method: 'POST',
    route: '/api/v1/tenant/dlq/:id/replay',
    prepare: async (ctx) => ({ path: `/api/v1/tenant/dlq/${await deadLetter(ctx)}/replay`, body: { reason: 'scenario' } }),
    auditAction: 'dlq.replay',
  },
  {
    method: 'POST',
    route: '/api/v1/tenant/dlq/replay',
    prepare: async (ctx) => {
      await deadLetter(ctx);
      return { path: '/api/v1/tenant/dlq/replay', body: { filter: { provider: 'resend' }, limit: 1, reason: 'scenario' } };
    },
    auditAction: 'dlq.replay',
  },
  {
    method: 'POST',
    route: '/api/v1/tenant/dlq/:id/discard',
    prepare: async (ctx) => ({ path: `/api/v1/tenant/dlq/${await deadLetter(ctx)}/discard`, body: { reason: 'scenario' } }),
    auditAction: 'dlq.discard',
  },
  get('/api/v1/admin/dlq'),
  get('/api/v1/admin/dlq/:id', async (ctx) => `/api/v1/admin/dlq/${await deadLetter(ctx)}`),
  {
    method: 'POST',
    route: '/api/v1/admin/dlq/:id/replay',
    prepare: async (ctx) => ({ path: `/api/v1/admin/dlq/${await deadLetter(ctx)}/replay`, body: { reason: 'scenario' } }),
    auditAction: 'dlq.replay',
  },
  // usage, stats, audit
  get('/api/v1/tenant/usage'),
  get('/api/v1/tenant/usage/rate-limit'),
  get('/api/v1/admin/stats'),
  get('/api/v1/tenant/audit'),
  get('/api/v1/admin/audit'),
];
