import { z } from 'zod';
import {
  ConfigError,
  flag,
  httpUrl,
  int,
  kafkaEnv,
  logLevel,
  nodeEnv,
  number,
  optionalHttpUrl,
  parseEnv,
  postgresUrl,
  redisUrl,
  refuseInProduction,
} from '@orqestra/config';
import { parseSchedule } from './retry/retry-policy.js';

export { ConfigError };

/**
 * The gateway's only reader of process.env: a zod schema → typed config, refusing to start with
 * a readable list of everything wrong. Variables shared with the API have the same names and the
 * same fields (@orqestra/config), so both accept and refuse the same values.
 */
const envSchema = z.object({
  NODE_ENV: nodeEnv(),
  LOG_LEVEL: logLevel(),
  DATABASE_URL: postgresUrl(),
  DATABASE_POOL_MAX: int({ min: 1, max: 200 }).default(20),
  REDIS_URL: redisUrl(),
  ...kafkaEnv,
  CENTRIFUGO_URL: httpUrl(),
  CENTRIFUGO_API_KEY: z.string().min(16),
  CREDENTIALS_KEYS: z.string().min(1),
  CREDENTIALS_ACTIVE_KEY: z.string().optional(),
  /** Health and metrics endpoint. */
  GATEWAY_HOST: z.string().default('127.0.0.1'),
  GATEWAY_PORT: int({ min: 0, max: 65535 }).default(3002),
  /** OTLP/HTTP collector base address (spans go to <it>/v1/traces); unset = tracing off. */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalHttpUrl(),
  /** Retry delays, e.g. "30s,2m,10m,30m,60m" (SPEC §3 default); tests use milliseconds. */
  RETRY_SCHEDULE: z
    .string()
    .default('30s,2m,10m,30m,60m')
    .transform((v, ctx) => {
      try {
        return parseSchedule(v);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  RETRY_JITTER: number({ min: 0, max: 1 }).default(0.2),
  /** Retry messages held in memory until due; at this many the retry topic's consumer waits for some to fall due. */
  RETRY_SCHEDULED_MAX: int({ min: 1 }).default(100_000),
  /** Retries that fall due together are dispatched in batches of at most this many. */
  RETRY_BATCH_MAX: int({ min: 1, max: 10_000 }).default(500),
  /** A vendor call slower than this has an unknown outcome (ambiguous). */
  SEND_TIMEOUT_MS: int({ min: 10 }).default(10_000),
  /** How long a claim (SENDING) is held; a gateway that dies releases it to the sweeper after this. */
  LEASE_MS: int({ min: 100 }).default(60_000),
  /** Consecutive failures that open a provider config's breaker, and how long it stays open. */
  BREAKER_THRESHOLD: int({ min: 1 }).default(5),
  BREAKER_COOLDOWN_MS: int({ min: 10 }).default(30_000),
  /** Vendor calls in flight per tenant in one gateway; a message that waits for a slot until its call could outlive its lease is deferred. */
  TENANT_INFLIGHT_CAP: int({ min: 1 }).default(32),
  /** Vendor calls one gateway makes at once. */
  CONCURRENCY: int({ min: 1 }).default(64),
  /** How long a tenant's provider configs (decrypted) are kept in memory; SPEC §5: a short cache, so at most 5 minutes. */
  PROVIDER_CACHE_MS: int({ min: 0, max: 300_000 }).default(30_000),
  /** A provider config's send-rate limit: a wait up to this is slept, a longer one defers the message (a throttled retry). */
  SEND_RATE_MAX_WAIT_MS: int({ min: 0, max: 10_000 }).default(250),
  SWEEPER_INTERVAL_MS: int({ min: 50 }).default(15_000),
  /** PENDING rows not dispatched within this are republished (SPEC: a minute). */
  SWEEPER_PENDING_AFTER_MS: int({ min: 0 }).default(60_000),
  /** RETRYING rows this far past next_attempt_at are republished (their retry message was lost). */
  SWEEPER_RETRY_GRACE_MS: int({ min: 0 }).default(30_000),
  /** Development only: provider base URLs may resolve to loopback/private addresses (the fake vendors). */
  ALLOW_PRIVATE_PROVIDER_URLS: flag(),
});

export const ENV_VARIABLES = Object.keys(envSchema.shape);

export function parseConfig(env: Record<string, string | undefined>) {
  const e = parseEnv(envSchema, env);
  refuseInProduction(e.NODE_ENV, { ALLOW_PRIVATE_PROVIDER_URLS: e.ALLOW_PRIVATE_PROVIDER_URLS });
  return {
    mode: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    database: { url: e.DATABASE_URL, poolMax: e.DATABASE_POOL_MAX },
    redis: { url: e.REDIS_URL },
    kafka: {
      brokers: e.KAFKA_BROKERS,
      partitions: e.KAFKA_TOPIC_PARTITIONS,
      replicas: e.KAFKA_TOPIC_REPLICAS,
      topicPrefix: e.KAFKA_TOPIC_PREFIX,
    },
    centrifugo: { url: e.CENTRIFUGO_URL, apiKey: e.CENTRIFUGO_API_KEY },
    credentials: { keys: e.CREDENTIALS_KEYS, activeKeyId: e.CREDENTIALS_ACTIVE_KEY },
    http: { host: e.GATEWAY_HOST, port: e.GATEWAY_PORT },
    telemetry: { otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT },
    retry: { delaysMs: e.RETRY_SCHEDULE, jitter: e.RETRY_JITTER },
    retryScheduler: { maxScheduled: e.RETRY_SCHEDULED_MAX, maxBatch: e.RETRY_BATCH_MAX },
    sendTimeoutMs: e.SEND_TIMEOUT_MS,
    leaseMs: e.LEASE_MS,
    breaker: { threshold: e.BREAKER_THRESHOLD, cooldownMs: e.BREAKER_COOLDOWN_MS },
    tenantInflightCap: e.TENANT_INFLIGHT_CAP,
    concurrency: e.CONCURRENCY,
    providerCacheMs: e.PROVIDER_CACHE_MS,
    sendRateMaxWaitMs: e.SEND_RATE_MAX_WAIT_MS,
    sweeper: { intervalMs: e.SWEEPER_INTERVAL_MS, pendingAfterMs: e.SWEEPER_PENDING_AFTER_MS, retryGraceMs: e.SWEEPER_RETRY_GRACE_MS },
    allowPrivateProviderUrls: e.ALLOW_PRIVATE_PROVIDER_URLS,
  } as const;
}

export type Config = ReturnType<typeof parseConfig>;

export function loadConfig(): Config {
  return parseConfig(process.env);
}
