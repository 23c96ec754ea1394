import { z } from 'zod';

const status = z.enum(['ok', 'down']);

export const serviceCheckSchema = z
  .object({
    name: z.string().meta({ description: 'api (the process that answered), or a probed service: worker, gateway, ...' }),
    url: z.string().nullable().meta({ description: 'The operations endpoint probed (null for the answering API itself).' }),
    status: z
      .enum(['ok', 'degraded', 'unreachable'])
      .meta({ description: 'ok: /health/ready answered 200; degraded: it answered 503 (see checks); unreachable: no answer within 2 s.' }),
    version: z.string().nullable().meta({ description: 'As the service reports it on /health/live; null when it does not report one.' }),
    node: z.string().nullable(),
    startedAt: z.iso.datetime().nullable(),
    checks: z.record(z.string(), z.string()).nullable().meta({ description: "The service's own readiness checks (/health/ready)." }),
    error: z.string().nullable(),
  })
  .meta({ id: 'SystemServiceCheck' });

export const dependencyCheckSchema = z
  .object({
    name: z.enum(['postgresql', 'redis', 'kafka', 'centrifugo']),
    status,
    version: z
      .string()
      .nullable()
      .meta({ description: 'Server version as the component reports it (Kafka reports none over its protocol).' }),
    latencyMs: z.number().int(),
    error: z.string().nullable().meta({ description: 'Why the check failed (no answer within 2 s, connection refused, ...).' }),
  })
  .meta({ id: 'SystemDependencyCheck' });

export const systemSchema = z
  .object({
    checkedAt: z.iso.datetime(),
    services: z.array(serviceCheckSchema),
    dependencies: z.array(dependencyCheckSchema),
    encryption: z.object({
      activeKeyId: z
        .string()
        .meta({ description: 'The master key new secrets are sealed with (CREDENTIALS_ACTIVE_KEY, else the last of CREDENTIALS_KEYS).' }),
      secretsByKey: z
        .array(z.object({ keyId: z.string(), count: z.number().int() }))
        .meta({ description: 'Secrets at rest (provider credentials, webhook secrets) by the key that sealed them.' }),
      awaitingReencryption: z
        .number()
        .int()
        .meta({ description: 'Secrets sealed with another key than the active one: `credentials re-encrypt` (CLI) moves them.' }),
    }),
    retention: z.object({
      automaticPurge: z.boolean().meta({
        description:
          'false: no retention job runs yet; logs, attempts, dead letters, captured and inbox messages and audit entries are kept until removed by hand.',
      }),
      idempotencyWindowSeconds: z.number().int(),
      sandboxSessionTtlSeconds: z.number().int(),
      realtimeTokenTtlSeconds: z.number().int(),
    }),
    links: z.object({ docs: z.string(), metrics: z.array(z.object({ name: z.string(), url: z.string() })) }),
  })
  .meta({ id: 'System' });

export type SystemView = z.infer<typeof systemSchema>;
export type ServiceCheck = z.infer<typeof serviceCheckSchema>;
export type DependencyCheck = z.infer<typeof dependencyCheckSchema>;
