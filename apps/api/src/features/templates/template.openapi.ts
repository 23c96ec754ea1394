import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { CHANNELS } from '@orqestra/contracts';
import {
  activateBody,
  activateSchema,
  createGlobalVersionSchema,
  globalListQuerySchema,
  createVersionBody,
  draftPreviewBody,
  listTemplatesQuery,
  listVersionsQuery,
  previewBody,
  templateSummarySchema,
  testSendBody,
  versionSchema,
} from './template.schemas.js';
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
import { pageQuerySchema as pageQuery } from '../../platform/query-params.js';

const position = { field: z.string().nullable(), line: z.number().int().nullable(), column: z.number().int().nullable() };
const warningSchema = z.object({ code: z.string(), message: z.string(), ...position });
const savedSchema = z.object({
  templateId: z.uuid(),
  versionId: z.uuid(),
  version: z.number().int(),
  active: z.boolean(),
  warnings: z.array(warningSchema),
  sms: z.object({ length: z.number().int(), encoding: z.string(), segments: z.number().int() }).passthrough().nullable(),
});
const previewSchema = z.union([
  z.object({
    ok: z.literal(true),
    content: z.record(z.string(), z.unknown()),
    warnings: z.array(warningSchema),
    sms: z.record(z.string(), z.unknown()).nullable(),
    durationMs: z.number(),
  }),
  z.object({
    ok: z.literal(false),
    errors: z.array(z.object({ code: z.string(), message: z.string(), ...position })),
    warnings: z.array(warningSchema),
  }),
]);

const draftPreviewSchema = z.union([
  z.object({
    ok: z.literal(true),
    savable: z.boolean().meta({ description: 'false when a save would refuse the draft (MJML_INVALID warnings)' }),
    content: z.record(z.string(), z.unknown()),
    warnings: z.array(warningSchema),
    sms: z.record(z.string(), z.unknown()).nullable(),
    durationMs: z.number(),
  }),
  z.object({
    ok: z.literal(false),
    savable: z.boolean().meta({ description: 'true only when the draft saves but does not render (render time or output size)' }),
    errors: z.array(z.object({ code: z.string(), message: z.string(), ...position })),
    warnings: z.array(warningSchema),
  }),
]);

export function registerTemplateRoutes(registry: OpenAPIRegistry): void {
  const security = adminBearer(registry);
  const tags = ['Tenant: templates'];
  const base = '/api/v1/tenant/templates';
  registry.registerPath({
    method: 'get',
    path: base,
    tags,
    security,
    summary: "List the tenant's templates with their active and latest versions (tenant:viewer)",
    request: { query: listTemplatesQuery },
    responses: { 200: json('Templates', pageOf(templateSummarySchema)), ...adminErrors() },
  });
  registry.registerPath({
    method: 'post',
    path: base,
    tags,
    security,
    summary: 'Save a new version (tenant:admin)',
    description:
      'Creates the template (event type, channel, locale) on first save. Invalid Handlebars or MJML is refused with 422 TEMPLATE_INVALID, each detail carrying line and column.',
    request: { body: jsonBody(createVersionBody) },
    responses: {
      201: json('Saved', dataOf(savedSchema)),
      ...adminErrors({ 422: 'VALIDATION_FAILED, TEMPLATE_INVALID or TEMPLATE_TOO_LARGE (details with line/column)' }),
    },
  });
  registry.registerPath({
    method: 'get',
    path: `${base}/{id}/versions`,
    tags,
    security,
    summary: 'Versions of a template, newest first, with their sources (tenant:viewer)',
    request: { params: idParams, query: listVersionsQuery },
    responses: { 200: json('Versions', pageOf(versionSchema)), ...adminErrors({ 404: 'TEMPLATE_NOT_FOUND' }) },
  });
  registry.registerPath({
    method: 'post',
    path: `${base}/{id}/activate`,
    tags,
    security,
    summary: 'Activate a version; an older one is a rollback (tenant:admin)',
    request: { params: idParams, body: jsonBody(activateBody) },
    responses: {
      200: json('Active version', dataOf(z.object({ templateId: z.uuid(), activeVersion: z.number().int().nullable() }))),
      ...adminErrors({ 404: 'TEMPLATE_NOT_FOUND (template or version)' }),
    },
  });
  registry.registerPath({
    method: 'post',
    path: `${base}/{id}/deactivate`,
    tags,
    security,
    summary: 'Deactivate the template: it no longer fires (tenant:admin)',
    request: { params: idParams },
    responses: {
      200: json('No active version', dataOf(z.object({ templateId: z.uuid(), activeVersion: z.null() }))),
      ...adminErrors({ 404: 'TEMPLATE_NOT_FOUND' }),
    },
  });
  registry.registerPath({
    method: 'post',
    path: `${base}/{id}/preview`,
    tags,
    security,
    summary: 'Render a version with sample variables (tenant:viewer)',
    description: 'Returns the rendered content and warnings (unknown variables, helper problems); SMS adds length, encoding and segments.',
    request: { params: idParams, body: jsonBody(previewBody) },
    responses: { 200: json('Rendered, or the render errors', dataOf(previewSchema)), ...adminErrors({ 404: 'TEMPLATE_NOT_FOUND' }) },
  });
  const draftDescription =
    'Nothing is stored (but the audit entry). A draft a save would refuse answers 200 with ok: false and the errors a save gives (code, field, line, column); MJML validation problems are MJML_INVALID warnings with their place, and savable: false.';
  registry.registerPath({
    method: 'post',
    path: `${base}/preview`,
    tags,
    security,
    summary: 'Render an unsaved draft with sample variables (tenant:viewer)',
    description: draftDescription,
    request: { body: jsonBody(draftPreviewBody) },
    responses: { 200: json('Rendered, or the errors a save would give', dataOf(draftPreviewSchema)), ...adminErrors() },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/admin/global-templates/preview',
    tags: ['Operator: global templates'],
    security,
    summary: 'Render an unsaved global template draft (operator)',
    description: draftDescription,
    request: { body: jsonBody(draftPreviewBody) },
    responses: { 200: json('Rendered, or the errors a save would give', dataOf(draftPreviewSchema)), ...adminErrors() },
  });
  registry.registerPath({
    method: 'post',
    path: `${base}/{id}/test-send`,
    tags,
    security,
    summary: "Send a version to one recipient through the tenant's providers (tenant:admin)",
    description: 'The notification appears in the logs with isTest: true.',
    request: { params: idParams, body: jsonBody(testSendBody) },
    responses: {
      202: json('Accepted for delivery', dataOf(z.object({ notificationId: z.uuid(), eventId: z.string() }))),
      ...adminErrors({ 404: 'TEMPLATE_NOT_FOUND' }),
    },
  });
}

const savedVersion = z.object({
  templateId: z.uuid(),
  versionId: z.uuid(),
  version: z.number().int(),
  active: z.boolean(),
  warnings: z.array(z.object({ message: z.string() }).loose()),
  sms: z.object({ characters: z.number().int(), encoding: z.string(), segments: z.number().int() }).loose().nullable(),
});
const globalTemplate = z.object({
  id: z.uuid(),
  eventType: z.string(),
  channel: z.enum(CHANNELS),
  locale: z.string(),
  activeVersion: z.number().int().nullable(),
  latestVersion: z.number().int(),
  updatedAt: z.iso.datetime(),
  overriddenBy: z.number().int().meta({
    description:
      'Tenants (not deleted) with an active template of their own for the same event type, channel and locale: their events use theirs, never this one, in that locale.',
  }),
});
const globalVersion = z.object({
  id: z.uuid(),
  version: z.number().int(),
  active: z.boolean(),
  subject: z.string().nullable(),
  bodyFormat: z.string().nullable(),
  body: z.string().nullable().meta({ description: 'EMAIL: the MJML or HTML source; SMS: the text' }),
  textBody: z.string().nullable(),
  title: z.string().nullable(),
  pushBody: z.string().nullable(),
  category: z.string().nullable(),
  data: z.record(z.string(), z.unknown()).nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.iso.datetime(),
});

/** The operator routes of the platform's global templates (SPEC §4/§7), listed with the tenant routes. */
export function registerGlobalTemplateRoutes(registry: OpenAPIRegistry): void {
  const route = operatorRoutes(registry, 'Operator: tenants');
  const templateParams = z.object({ templateId: z.uuid() });
  route(
    {
      method: 'post',
      path: '/api/v1/admin/global-templates',
      summary: 'Save a global template version (global.* event types)',
      request: { body: jsonBody(createGlobalVersionSchema) },
      responses: { 201: json('Saved', dataOf(savedVersion)) },
    },
    { 422: 'VALIDATION_FAILED or TEMPLATE_INVALID (details with line/column)' },
  );
  route({
    method: 'get',
    path: '/api/v1/admin/global-templates',
    summary: 'Global templates, each with how many tenants override it',
    request: { query: globalListQuerySchema },
    responses: { 200: json('A page of templates', pageOf(globalTemplate)) },
  });
  route({
    method: 'get',
    path: '/api/v1/admin/global-templates/{templateId}',
    summary: 'One global template (as the list shows it)',
    request: { params: templateParams },
    responses: { 200: json('The template', dataOf(globalTemplate)) },
  });
  route({
    method: 'get',
    path: '/api/v1/admin/global-templates/{templateId}/versions',
    summary: "A global template's versions",
    request: { params: templateParams, query: pageQuery },
    responses: { 200: json('Versions, newest first', pageOf(globalVersion)) },
  });
  route({
    method: 'post',
    path: '/api/v1/admin/global-templates/{templateId}/activate',
    summary: 'Activate a version (rollback) or deactivate (null)',
    request: { params: templateParams, body: jsonBody(activateSchema) },
    responses: { 200: json('Active version', dataOf(z.object({ activeVersion: z.number().int().nullable() }))) },
  });
}
