import { z } from 'zod';
import { CATEGORIES, CHANNELS } from '@orqestra/contracts';
import { pageQuery, pageQuerySchema } from '../../platform/query-params.js';

export const listTemplatesQuery = z.object({
  eventType: z.string().max(200).optional(),
  channel: z.enum(CHANNELS).optional(),
  ...pageQuery,
});
export const listVersionsQuery = z.object(pageQuery);

export const createVersionBody = z
  .strictObject({
    eventType: z
      .string()
      .regex(/^[A-Za-z0-9._:-]{1,200}$/)
      .meta({ example: 'order.confirmed' }),
    channel: z.enum(CHANNELS),
    locale: z.string().min(2).max(35).optional().meta({ description: 'BCP 47; default en' }),
    activate: z.boolean().optional().meta({ description: 'Make this version the active one at once' }),
    subject: z.string().optional(),
    bodyFormat: z.enum(['mjml', 'html', 'text']).optional(),
    body: z.string().optional(),
    textBody: z.string().optional(),
    title: z.string().optional(),
    pushBody: z.string().optional(),
    category: z.enum(CATEGORIES).optional(),
    data: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'TemplateVersionCreate' });
export type CreateVersionBody = z.infer<typeof createVersionBody>;

/** Version numbers are PostgreSQL integers: a larger number can name no version (and PostgreSQL would refuse it: 500). */
const versionNumber = z.number().int().min(1).max(2_147_483_647);
export const activateBody = z.strictObject({ version: versionNumber }).meta({ id: 'TemplateActivate' });

const sample = {
  version: versionNumber.optional().meta({ description: 'Default: the active version, else the latest' }),
  variables: z.record(z.string(), z.unknown()).default({}),
  payload: z.record(z.string(), z.unknown()).default({}),
  locale: z.string().min(2).max(35).optional(),
};

export const previewBody = z.strictObject(sample).meta({ id: 'TemplatePreview' });

/**
 * A draft that is not saved: the fields of a save (channel and its sources) plus the sample to
 * render it with. `eventType` is optional (it only labels the audit entry); `locale` is the
 * locale the helpers format for.
 */
export const draftPreviewBody = z
  .strictObject({
    eventType: createVersionBody.shape.eventType.optional(),
    channel: z.enum(CHANNELS),
    subject: z.string().optional(),
    bodyFormat: z.enum(['mjml', 'html', 'text']).optional(),
    body: z.string().optional(),
    textBody: z.string().optional(),
    title: z.string().optional(),
    pushBody: z.string().optional(),
    category: z.enum(CATEGORIES).optional(),
    data: z.record(z.string(), z.unknown()).optional(),
    variables: sample.variables,
    payload: sample.payload,
    locale: sample.locale,
  })
  .meta({ id: 'TemplateDraftPreview' });
export type DraftPreviewBody = z.infer<typeof draftPreviewBody>;

export type PreviewBody = z.infer<typeof previewBody>;

export const testSendBody = z
  .strictObject({
    ...sample,
    recipient: z.strictObject({
      userId: z.string().min(1).max(256).optional().meta({ description: 'PUSH: the user whose inbox receives it (default test-<you>)' }),
      email: z.email().optional(),
      phone: z
        .string()
        .regex(/^\+[1-9]\d{6,14}$/, 'must be E.164, e.g. +254700000001')
        .optional(),
    }),
  })
  .meta({ id: 'TemplateTestSend' });
export type TestSendBody = z.infer<typeof testSendBody>;

export const templateSummarySchema = z
  .object({
    id: z.uuid(),
    eventType: z.string(),
    channel: z.enum(CHANNELS),
    locale: z.string(),
    activeVersion: z.number().int().nullable(),
    latestVersion: z.number().int().nullable(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'TemplateSummary' });

export const versionSchema = z
  .object({
    version: z.number().int(),
    id: z.uuid(),
    active: z.boolean(),
    createdAt: z.iso.datetime(),
    createdBy: z.string().nullable(),
    subject: z.string().nullable(),
    bodyFormat: z.string().nullable(),
    body: z.string().nullable(),
    textBody: z.string().nullable(),
    title: z.string().nullable(),
    pushBody: z.string().nullable(),
    category: z.string().nullable(),
    data: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: 'TemplateVersion' });

/** The operator routes of global templates (tenant_id NULL, global.* event types). */
export const templateDraftSchema = z
  .object({
    channel: z.enum(CHANNELS),
    subject: z.string().optional().meta({ description: 'EMAIL: subject line (Handlebars).' }),
    bodyFormat: z.enum(['mjml', 'html', 'text']).optional().meta({ description: "EMAIL: 'mjml' or 'html'; SMS: 'text'." }),
    body: z.string().optional().meta({ description: 'EMAIL: MJML or HTML; SMS: the text.' }),
    textBody: z.string().optional(),
    title: z.string().optional().meta({ description: 'PUSH title.' }),
    pushBody: z.string().optional().meta({ description: 'PUSH body.' }),
    category: z.enum(CATEGORIES).optional(),
    data: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .meta({ id: 'TemplateDraft' });

export const createGlobalVersionSchema = z
  .object({
    eventType: z.string().regex(/^global\.[A-Za-z0-9._:-]{1,193}$/, 'global templates have event types global.*'),
    locale: z.string().max(35).optional().meta({ description: 'BCP 47 tag; default en.' }),
    activate: z.boolean().default(false),
    template: templateDraftSchema,
  })
  .strict()
  .meta({ id: 'GlobalTemplateVersionCreate' });

export const activateSchema = z
  .object({
    version: z.number().int().min(1).nullable().meta({ description: 'The version to make active; null deactivates the template.' }),
  })
  .strict()
  .meta({ id: 'TemplateActivate' });

export const globalListQuerySchema = pageQuerySchema.extend({
  search: z.string().trim().max(200).optional().meta({ description: 'Part of the event type, case-insensitive' }),
});
