import { z } from 'zod';

/**
 * The only place that reads process.env (eslint enforces it). Parses the environment into a typed,
 * nested configuration and refuses to start with a readable list of everything that is wrong.
 * Every variable is documented in .env.example.
 */
const brokerList = z
  .string()
  .min(1)
  .transform((value) => value.split(',').map((b) => b.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^[^:\s]+:\d+$/, 'each broker must be host:port')).min(1));

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
  DATABASE_OWNER_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(20),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }),
  KAFKA_BROKERS: brokerList,
  KAFKA_TOPIC_PARTITIONS: z.coerce.number().int().min(2).default(4),
  KAFKA_TOPIC_REPLICAS: z.coerce.number().int().min(1).default(1),
  CENTRIFUGO_URL: z.url({ protocol: /^https?$/ }),
  CENTRIFUGO_API_KEY: z.string().min(16),
  CENTRIFUGO_HMAC_SECRET: z.string().min(32, 'must be at least 32 characters'),
});

export type Env = z.input<typeof envSchema>;

export function parseConfig(env: Record<string, string | undefined>) {
  const result = envSchema.safeParse(env);
  if (!result.success) throw new ConfigError(result.error.issues);
  const e = result.data;
  return {
    mode: e.NODE_ENV,
    database: { url: e.DATABASE_URL, ownerUrl: e.DATABASE_OWNER_URL, poolMax: e.DATABASE_POOL_MAX },
    redis: { url: e.REDIS_URL },
    kafka: { brokers: e.KAFKA_BROKERS, partitions: e.KAFKA_TOPIC_PARTITIONS, replicas: e.KAFKA_TOPIC_REPLICAS },
    centrifugo: { url: e.CENTRIFUGO_URL, apiKey: e.CENTRIFUGO_API_KEY, hmacSecret: e.CENTRIFUGO_HMAC_SECRET },
  } as const;
}

export type Config = ReturnType<typeof parseConfig>;

export class ConfigError extends Error {
  constructor(readonly issues: readonly { path: readonly PropertyKey[]; message: string }[]) {
    super(
      `Configuration is invalid (see .env.example):\n${issues
        .map((issue) => `  - ${issue.path.map(String).join('.') || '(environment)'}: ${issue.message}`)
        .join('\n')}`,
    );
  }
}

export function loadConfig(): Config {
  return parseConfig(process.env);
}
