import { z } from 'zod';

/**
 * Reading a service's environment: each app's config.ts (the only reader of process.env) declares
 * its variables as a zod object built from the fields below, and hands process.env to parseEnv.
 * A variable shared by several services is declared with the same field everywhere, so the
 * services accept and refuse the same values.
 */

/** What is wrong with the environment, every bad variable named (values are never echoed: they may be secrets). */
export class ConfigError extends Error {
  constructor(readonly issues: readonly { path: readonly PropertyKey[]; message: string }[]) {
    super(
      `Configuration is invalid (see .env.example):\n${issues.map((i) => `  - ${i.path.map(String).join('.') || '(environment)'}: ${i.message}`).join('\n')}`,
    );
  }
}

/** The environment parsed by `schema`, or a ConfigError listing every bad variable at once. */
export function parseEnv<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.output<S> {
  const result = schema.safeParse(env);
  if (!result.success) throw new ConfigError(result.error.issues);
  return result.data;
}

/** Development flags that must not be on in production: a ConfigError naming those that are. */
export function refuseInProduction(mode: string, flags: Record<string, boolean>): void {
  if (mode !== 'production') return;
  const set = Object.entries(flags).filter(([, on]) => on);
  if (set.length > 0)
    throw new ConfigError(set.map(([name]) => ({ path: [name], message: 'is a development flag; it cannot be set in production' })));
}

export const nodeEnv = () => z.enum(['development', 'test', 'production']).default('development');

export const logLevel = () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');

/** A whole number within bounds (the environment's text coerced). */
export function int(bounds: { min: number; max?: number }) {
  const n = z.coerce.number().int().min(bounds.min);
  return bounds.max === undefined ? n : n.max(bounds.max);
}

/** A number within bounds, fractions allowed. */
export function number(bounds: { min: number; max?: number }) {
  const n = z.coerce.number().min(bounds.min);
  return bounds.max === undefined ? n : n.max(bounds.max);
}

/** `true` or `false` (nothing else), `false` when unset. */
export const flag = () =>
  z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true');

export const postgresUrl = () => z.url({ protocol: /^postgres(ql)?$/ });
export const redisUrl = () => z.url({ protocol: /^rediss?$/ });
export const httpUrl = () => z.url({ protocol: /^https?$/ });

/** An http(s) URL, or unset: an empty value counts as unset. */
export const optionalHttpUrl = () =>
  z
    .union([z.literal(''), httpUrl()])
    .optional()
    .transform((v) => v || undefined);

/** Comma-separated `host:port` list (spaces around commas allowed), at least one. */
export const brokerList = () =>
  z
    .string()
    .min(1)
    .transform((value) =>
      value
        .split(',')
        .map((b) => b.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^[^:\s]+:\d+$/, 'each broker must be host:port')).min(1));

/** The Kafka variables every service reads, declared once. */
export const kafkaEnv = {
  KAFKA_BROKERS: brokerList(),
  KAFKA_TOPIC_PARTITIONS: int({ min: 2 }).default(4),
  KAFKA_TOPIC_REPLICAS: int({ min: 1 }).default(1),
  /** Prepended to every topic and consumer group (several environments on one broker). */
  KAFKA_TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/)
    .default(''),
};
