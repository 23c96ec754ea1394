import { z } from 'zod';
import { CHANNELS } from '@orqestra/contracts';
import { canonicalLocale } from '../templates/engine/locale-chain.js';
import { pageQuery } from '../../platform/query-params.js';

/** Centrifugo's reserved namespace for platform broadcasts: never a tenant's. */
export const RESERVED_NAMESPACE = 'global_system';

const unique = <T>(values: T[]) => new Set(values).size === values.length;

const namespaceSchema = z
  .string()
  .regex(/^[a-z0-9_]{1,64}$/, 'must be 1-64 characters of [a-z0-9_]')
  .refine((value) => value !== RESERVED_NAMESPACE, `${RESERVED_NAMESPACE} is reserved`);

/** The settings an operator sets per tenant (SPEC §2.1 limits, §3 channels and ambiguous sends, §2.6 namespaces). */
const settings = {
  rateLimitPerMinute: z
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .meta({ description: 'Requests per minute (token bucket refill).', example: 600 }),
  burst: z.number().int().min(0).max(1_000_000).meta({ description: 'Burst allowance on top of the per-minute rate.', example: 100 }),
  dailyCap: z.number().int().min(0).max(2_000_000_000).meta({ description: 'Accepted events per UTC day.', example: 100_000 }),
  deliveryChannels: z.array(z.enum(CHANNELS)).max(CHANNELS.length).refine(unique, 'channels must be unique'),
  defaultLocale: z
    .string()
    .max(35)
    .transform((value, ctx) => {
      const locale = canonicalLocale(value);
      if (!locale || locale.length < 2) {
        ctx.addIssue({ code: 'custom', message: 'must be a BCP 47 language tag' });
        return z.NEVER;
      }
      return locale;
    })
    .meta({ example: 'en' }),
  ambiguousSendPolicy: z.enum(['retry', 'fail']).meta({ description: 'What the gateway does after a send whose outcome is unknown.' }),
  realtimeNamespaces: z
    .array(namespaceSchema)
    .max(32)
    .refine(unique, 'namespaces must be unique')
    .meta({ description: `Extra Centrifugo namespaces; not ${RESERVED_NAMESPACE}.` }),
};

const nameSchema = z.string().trim().min(1).max(200);

export const createTenantSchema = z
  .object({
    name: nameSchema,
    rateLimitPerMinute: settings.rateLimitPerMinute.optional(),
    burst: settings.burst.optional(),
    dailyCap: settings.dailyCap.optional(),
    deliveryChannels: settings.deliveryChannels.optional(),
    defaultLocale: settings.defaultLocale.optional(),
    ambiguousSendPolicy: settings.ambiguousSendPolicy.optional(),
    realtimeNamespaces: settings.realtimeNamespaces.optional(),
  })
  .strict()
  .meta({ id: 'TenantCreate' });

export const updateTenantSchema = z
  .object({
    name: nameSchema.optional(),
    rateLimitPerMinute: settings.rateLimitPerMinute.optional(),
    burst: settings.burst.optional(),
    dailyCap: settings.dailyCap.optional(),
    deliveryChannels: settings.deliveryChannels.optional(),
    defaultLocale: settings.defaultLocale.optional(),
    ambiguousSendPolicy: settings.ambiguousSendPolicy.optional(),
    realtimeNamespaces: settings.realtimeNamespaces.optional(),
  })
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'name at least one field to change')
  .meta({ id: 'TenantUpdate' });

export type CreateTenantInput = z.infer<typeof createTenantSchema>;
export type TenantPatch = z.infer<typeof updateTenantSchema>;

export const tenantListQuerySchema = z.object({
  ...pageQuery,
  status: z
    .enum(['active', 'suspended', 'deleted'])
    .optional()
    .meta({ description: 'Default: active and suspended tenants (not deleted ones).' }),
});

export const tenantSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    status: z.enum(['active', 'suspended', 'deleted']),
    deletedAt: z.iso.datetime().nullable(),
    rateLimitPerMinute: z.number().int(),
    burst: z.number().int(),
    dailyCap: z.number().int(),
    deliveryChannels: z.array(z.enum(CHANNELS)),
    defaultLocale: z.string(),
    ambiguousSendPolicy: z.enum(['retry', 'fail']),
    realtimeNamespaces: z.array(z.string()),
    webhookSecret: z
      .object({ set: z.boolean(), previousValidUntil: z.iso.datetime().nullable() })
      .meta({ description: 'Whether signing is on; the secret itself is never returned.' }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Tenant' });

export type TenantView = z.infer<typeof tenantSchema>;

export const createTenantAdminSchema = z
  .object({
    email: z
      .string()
      .trim()
      .max(320)
      .pipe(z.email({ message: 'must be an email address' }))
      .meta({ description: 'Login name; unique across all tenants.' }),
    role: z.enum(['admin', 'viewer']).default('admin'),
  })
  .strict()
  .meta({ id: 'TenantAdminCreate' });

/** API key rotation (SPEC §6/§7): how long the replaced keys keep working, by default and at most. */
export const DEFAULT_GRACE_HOURS = 24;
export const MAX_GRACE_HOURS = 168;

export const rotateApiKeySchema = z
  .object({
    graceHours: z
      .number()
      .min(0)
      .max(MAX_GRACE_HOURS)
      .default(DEFAULT_GRACE_HOURS)
      .meta({
        description: `How long the replaced keys keep working, in hours (fractions allowed; 0 revokes them now; at most ${MAX_GRACE_HOURS}).`,
      }),
  })
  .strict()
  .meta({ id: 'ApiKeyRotate' });

/** Webhook secret rotation: how long the old secret keeps verifying by default. */
export const WEBHOOK_SECRET_GRACE_HOURS = 24;

const secretSchema = z
  .string()
  .regex(/^[\x21-\x7E]{16,256}$/, 'must be 16-256 printable ASCII characters without spaces')
  .meta({ description: 'Your own secret; omit it to have one generated (whsec_…).' });

export const setWebhookSecretSchema = z.object({ secret: secretSchema.optional() }).strict().meta({ id: 'WebhookSecretSet' });

export const rotateWebhookSecretSchema = z
  .object({
    secret: secretSchema.optional(),
    graceHours: z
      .number()
      .min(0)
      .max(MAX_GRACE_HOURS)
      .default(WEBHOOK_SECRET_GRACE_HOURS)
      .meta({ description: `How long the old secret keeps verifying, in hours (default ${WEBHOOK_SECRET_GRACE_HOURS}; 0 = not at all).` }),
  })
  .strict()
  .meta({ id: 'WebhookSecretRotate' });
