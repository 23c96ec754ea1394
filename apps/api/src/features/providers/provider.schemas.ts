import { z } from 'zod';
import { BREAKER_STATES, CHANNELS } from '@orqestra/contracts';
import { pageQuery } from '../../platform/query-params.js';

export const listProvidersQuery = z.object({ channel: z.enum(CHANNELS).optional(), ...pageQuery });

/** Non-secret settings shown back as they were saved (labels, notes): flat, small. */
const settingsSchema = z
  .record(z.string().max(64), z.union([z.string().max(500), z.number(), z.boolean(), z.null()]))
  .refine((s) => Object.keys(s).length <= 32, {
    message: 'at most 32 settings',
  });

/**
 * `baseUrl` is accepted by the schema only so that a tenant admin who sends one gets the coded
 * refusal BASE_URL_OPERATOR_ONLY (403) rather than a generic validation error: base-URL overrides
 * are an operator's decision (SPEC §5).
 */
export const createProviderBody = z
  .strictObject({
    channel: z.enum(CHANNELS),
    provider: z.string().min(1).max(64).meta({ example: 'resend' }),
    credentials: z
      .record(z.string(), z.unknown())
      .meta({ description: "Write-only; validated against the provider's schema (docs/providers.md)." }),
    priority: z.number().int().min(0).max(1000).optional(),
    enabled: z.boolean().optional(),
    sendRatePerSecond: z.number().positive().max(100_000).nullable().optional(),
    settings: settingsSchema.optional(),
    baseUrl: z.unknown().optional().meta({ description: 'Refused for tenant admins (403 BASE_URL_OPERATOR_ONLY).' }),
  })
  .meta({ id: 'ProviderConfigCreate' });

export const updateProviderBody = z
  .strictObject({
    credentials: z.record(z.string(), z.unknown()).optional().meta({ description: 'Replaces the stored credentials (write-only).' }),
    priority: z.number().int().min(0).max(1000).optional(),
    enabled: z.boolean().optional(),
    sendRatePerSecond: z.number().positive().max(100_000).nullable().optional(),
    settings: settingsSchema.optional(),
    baseUrl: z.unknown().optional().meta({ description: 'Refused for tenant admins (403 BASE_URL_OPERATOR_ONLY).' }),
  })
  .meta({ id: 'ProviderConfigUpdate' });

export type CreateProviderBody = z.infer<typeof createProviderBody>;
export type UpdateProviderBody = z.infer<typeof updateProviderBody>;

export const providerViewSchema = z
  .object({
    id: z.uuid(),
    channel: z.enum(CHANNELS),
    provider: z.string(),
    priority: z.number().int(),
    enabled: z.boolean(),
    sendRatePerSecond: z.number().nullable(),
    baseUrlOverride: z.string().nullable().meta({ description: "Set by a platform operator only; null = the vendor's own." }),
    settings: z.record(z.string(), z.unknown()),
    credentialsLast4: z
      .string()
      .meta({ description: 'The last 4 characters of the secret; the credentials themselves are never returned.' }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'ProviderConfig' });

export const testResultSchema = z
  .object({
    ok: z.boolean(),
    code: z
      .enum([
        'INVALID_CREDENTIALS',
        'INSUFFICIENT_PERMISSIONS',
        'ACCOUNT_INACTIVE',
        'VENDOR_RATE_LIMITED',
        'UNREACHABLE',
        'VENDOR_ERROR',
        'BASE_URL_REFUSED',
      ])
      .optional()
      .meta({ description: "A coded outcome only; the vendor's answer is never passed on." }),
  })
  .meta({ id: 'ProviderTestResult' });

const breakerError = z.object({ code: z.string(), message: z.string(), at: z.iso.datetime() });

export const breakerViewSchema = z
  .object({
    state: z.enum([...BREAKER_STATES, 'unknown']).meta({
      description:
        'The worst fresh state across gateways (open > half-open > closed); unknown when no gateway reported in the last 5 minutes',
    }),
    since: z.iso.datetime().nullable().meta({ description: 'When the worst gateway entered that state' }),
    openUntil: z.iso.datetime().nullable().meta({ description: 'Open: until when calls are refused (then one trial call)' }),
    lastError: breakerError.nullable().meta({ description: 'The most recent error a fresh gateway reported' }),
    gateways: z
      .array(
        z.object({
          gatewayId: z.string(),
          state: z.enum(BREAKER_STATES),
          since: z.iso.datetime(),
          openUntil: z.iso.datetime().optional(),
          failures: z.number().int(),
          lastError: breakerError.optional(),
          updatedAt: z.iso.datetime(),
        }),
      )
      .meta({ description: 'Each gateway instance that reported in the last 5 minutes, worst first' }),
  })
  .meta({ id: 'ProviderBreaker' });

export const providerWithBreakerSchema = providerViewSchema
  .extend({ breaker: breakerViewSchema })
  .meta({ id: 'ProviderConfigWithBreaker' });

/** An operator's base-URL override of one provider config (SPEC §5). */
export const setBaseUrlSchema = z
  .object({
    baseUrl: z
      .string()
      .max(2048)
      .nullable()
      .meta({ description: "https URL replacing the vendor's base URL (regional endpoint, proxy); null restores the vendor's own." }),
  })
  .strict()
  .meta({ id: 'ProviderBaseUrl' });
