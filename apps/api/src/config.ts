import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import {
  ConfigError,
  flag,
  httpUrl,
  int,
  kafkaEnv,
  logLevel,
  nodeEnv,
  optionalHttpUrl,
  parseEnv,
  postgresUrl,
  redisUrl,
  refuseInProduction,
} from '@orqestra/config';

export { ConfigError };

/**
 * The only place that reads process.env (eslint enforces it). Parses the environment into a typed,
 * nested configuration and refuses to start with a readable list of everything that is wrong.
 * Every variable is documented in .env.example. The fields and the parsing are @orqestra/config's,
 * shared with the gateway.
 */

const envSchema = z.object({
  NODE_ENV: nodeEnv(),
  DATABASE_URL: postgresUrl(),
  DATABASE_OWNER_URL: postgresUrl().optional(),
  DATABASE_POOL_MAX: int({ min: 1, max: 200 }).default(20),
  REDIS_URL: redisUrl(),
  ...kafkaEnv,
  CENTRIFUGO_URL: httpUrl(),
  CENTRIFUGO_API_KEY: z.string().min(16),
  CENTRIFUGO_HMAC_SECRET: z.string().min(32, 'must be at least 32 characters'),
  /** Centrifugo as browsers reach it (the demo page connects there); default CENTRIFUGO_URL. */
  CENTRIFUGO_PUBLIC_URL: httpUrl().optional(),
  /** Master keys for secrets at rest: `id:base64key,id2:base64key` (packages/crypto). */
  CREDENTIALS_KEYS: z.string().min(1),
  CREDENTIALS_ACTIVE_KEY: z.string().optional(),
  API_HOST: z.string().default('127.0.0.1'),
  API_PORT: int({ min: 1, max: 65535 }).default(3000),
  /** The worker's health and metrics endpoint (/health/live, /health/ready, /metrics). */
  WORKER_HOST: z.string().default('127.0.0.1'),
  WORKER_PORT: int({ min: 0, max: 65535 }).default(3003),
  /**
   * Operations endpoints (/health/live, /health/ready, /metrics) of the other services that the
   * console's System page probes, as comma-separated name=url pairs (e.g.
   * `worker=http://10.0.0.5:3003,gateway-1=http://10.0.0.6:3002`). Default: the worker at
   * WORKER_HOST:WORKER_PORT (none when that port is 0).
   */
  SYSTEM_PROBE_URLS: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === '') return undefined;
      const probes: { name: string; url: string }[] = [];
      for (const pair of value
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean)) {
        const [name = '', url = ''] = pair.split(/=(.*)/s);
        if (!/^[a-z][a-z0-9-]{0,31}$/.test(name) || !URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
          ctx.addIssue({ code: 'custom', message: `"${pair}" is not name=http(s)://host:port (name: lowercase letters, digits, -)` });
          continue;
        }
        probes.push({ name, url: new URL(url).origin });
      }
      return probes;
    }),
  /** OTLP/HTTP collector base address (spans go to <it>/v1/traces); unset = tracing off. */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalHttpUrl(),
  LOG_LEVEL: logLevel(),
  /** How long an idempotency record answers repeats (SPEC §2.1: 24 hours). */
  IDEMPOTENCY_WINDOW_SECONDS: int({ min: 60 }).default(86_400),
  /** How long an in-progress reservation lives before a crashed request frees it. */
  IDEMPOTENCY_RESERVATION_SECONDS: int({ min: 1, max: 60 }).default(10),
  /** Beyond this, a Kafka publish counts as failed and the request answers 503. */
  KAFKA_PUBLISH_TIMEOUT_MS: int({ min: 50 }).default(2_000),
  /** Beyond this, a Redis command counts as failed (503). */
  REDIS_COMMAND_TIMEOUT_MS: int({ min: 10 }).default(500),
  /** Development only: provider base URLs may point at loopback/private addresses (the fake vendors). */
  ALLOW_PRIVATE_PROVIDER_URLS: flag(),
  /** How long a resolved API key is trusted without asking the database again (pub/sub invalidates sooner). */
  API_KEY_CACHE_SECONDS: int({ min: 1, max: 5 }).default(5),
  /** Sandbox sessions (SPEC §7): lifetime of a session and its oq_test_ key (default 2 h). */
  SANDBOX_SESSION_TTL_SECONDS: int({ min: 1, max: 86_400 }).default(7_200),
  /** The sandbox quota of a tenant, apart from its live one (requests per minute, burst, daily cap). */
  SANDBOX_RATE_LIMIT_PER_MINUTE: int({ min: 1 }).default(60),
  SANDBOX_BURST: int({ min: 1 }).default(20),
  SANDBOX_DAILY_CAP: int({ min: 1 }).default(1_000),
  /** Audit entries written for refused sandbox requests, per session and minute (more are refused unrecorded). */
  SANDBOX_VIOLATION_AUDITS_PER_MINUTE: int({ min: 1, max: 1_000 }).default(10),
  /** HS256 secret of the admin console's access JWTs (SPEC §6); required and strong outside development. */
  ADMIN_JWT_SECRET: z.string().optional(),
  /**
   * Lifetime of the admin console's access JWTs (SPEC §6: 15 minutes). Shorter means a stolen token
   * is useful for less time and the console refreshes more often; every API process of a deployment
   * must use the same value (ended sessions are denied for one lifetime, in Redis).
   */
  ADMIN_ACCESS_TOKEN_SECONDS: z.coerce
    .number({ message: 'must be a whole number of seconds' })
    .int('must be a whole number of seconds')
    .min(5, 'must be at least 5 seconds')
    .max(3_600, 'must be at most 3600 seconds (1 hour): access tokens are meant to be short-lived')
    .default(900),
  /** The one browser origin allowed to call the admin routes (strict CORS). */
  ADMIN_UI_ORIGIN: httpUrl().default('http://127.0.0.1:3001'),
  /** Failed admin logins per (username or email, client IP) before the back-off starts. */
  ADMIN_LOGIN_FREE_ATTEMPTS: int({ min: 1, max: 100 }).default(5),
  /** The first back-off after those failures; it doubles with each further failure ... */
  ADMIN_LOGIN_BACKOFF_BASE_MS: int({ min: 100, max: 60_000 }).default(1_000),
  /** ... up to this. */
  ADMIN_LOGIN_BACKOFF_MAX_SECONDS: int({ min: 1, max: 86_400 }).default(900),
  /**
   * How many reverse proxies in front of the API append to X-Forwarded-For. 0 = the socket's peer
   * is the client; n = the n-th address from the right of X-Forwarded-For.
   */
  TRUSTED_PROXY_HOPS: int({ min: 0, max: 10 }).default(0),
  /** Lifetime of realtime connection tokens (SPEC §2.4: default 1 h, at most 24 h). */
  REALTIME_TOKEN_TTL_SECONDS: int({ min: 60, max: 86_400 }).default(3_600),
  /** Realtime tokens a tenant may mint per minute (its backend calls once per page view or refresh). */
  REALTIME_TOKEN_RATE_PER_MINUTE: int({ min: 1 }).default(600),
  /** Inbox requests per minute for one user of one tenant (SPEC §2.5: rate limited). */
  INBOX_RATE_PER_MINUTE: int({ min: 1 }).default(120),
});

export type Env = z.input<typeof envSchema>;

/** Every variable the services read (documented one by one in .env.example). */
export const ENV_VARIABLES = Object.keys(envSchema.shape);

export function parseConfig(env: Record<string, string | undefined>) {
  const e = parseEnv(envSchema, env);
  refuseInProduction(e.NODE_ENV, { ALLOW_PRIVATE_PROVIDER_URLS: e.ALLOW_PRIVATE_PROVIDER_URLS });
  const adminJwtSecret = checkJwtSecret(e.NODE_ENV, e.ADMIN_JWT_SECRET);
  return {
    mode: e.NODE_ENV,
    database: { url: e.DATABASE_URL, ownerUrl: e.DATABASE_OWNER_URL, poolMax: e.DATABASE_POOL_MAX },
    redis: { url: e.REDIS_URL },
    kafka: {
      brokers: e.KAFKA_BROKERS,
      partitions: e.KAFKA_TOPIC_PARTITIONS,
      replicas: e.KAFKA_TOPIC_REPLICAS,
      topicPrefix: e.KAFKA_TOPIC_PREFIX,
    },
    centrifugo: {
      url: e.CENTRIFUGO_URL,
      publicUrl: e.CENTRIFUGO_PUBLIC_URL ?? e.CENTRIFUGO_URL,
      apiKey: e.CENTRIFUGO_API_KEY,
      hmacSecret: e.CENTRIFUGO_HMAC_SECRET,
    },
    credentials: { keys: e.CREDENTIALS_KEYS, activeKeyId: e.CREDENTIALS_ACTIVE_KEY },
    http: { host: e.API_HOST, port: e.API_PORT },
    worker: { host: e.WORKER_HOST, port: e.WORKER_PORT },
    systemProbes: e.SYSTEM_PROBE_URLS ?? (e.WORKER_PORT > 0 ? [{ name: 'worker', url: `http://${e.WORKER_HOST}:${e.WORKER_PORT}` }] : []),
    telemetry: { otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT },
    logLevel: e.LOG_LEVEL,
    trigger: {
      idempotencyWindowSeconds: e.IDEMPOTENCY_WINDOW_SECONDS,
      reservationSeconds: e.IDEMPOTENCY_RESERVATION_SECONDS,
      publishTimeoutMs: e.KAFKA_PUBLISH_TIMEOUT_MS,
      apiKeyCacheSeconds: e.API_KEY_CACHE_SECONDS,
    },
    sandbox: {
      sessionTtlSeconds: e.SANDBOX_SESSION_TTL_SECONDS,
      limits: { perMinute: e.SANDBOX_RATE_LIMIT_PER_MINUTE, burst: e.SANDBOX_BURST, dailyCap: e.SANDBOX_DAILY_CAP },
      violationAuditsPerMinute: e.SANDBOX_VIOLATION_AUDITS_PER_MINUTE,
    },
    redisCommandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS,
    allowPrivateProviderUrls: e.ALLOW_PRIVATE_PROVIDER_URLS,
    admin: {
      jwtSecret: adminJwtSecret,
      uiOrigin: e.ADMIN_UI_ORIGIN,
      accessTokenSeconds: e.ADMIN_ACCESS_TOKEN_SECONDS,
      secureCookies: e.NODE_ENV === 'production',
      loginThrottle: {
        freeAttempts: e.ADMIN_LOGIN_FREE_ATTEMPTS,
        baseMs: e.ADMIN_LOGIN_BACKOFF_BASE_MS,
        maxMs: e.ADMIN_LOGIN_BACKOFF_MAX_SECONDS * 1000,
      },
    },
    trustedProxyHops: e.TRUSTED_PROXY_HOPS,
    realtime: {
      tokenTtlSeconds: e.REALTIME_TOKEN_TTL_SECONDS,
      tokenRate: { perMinute: e.REALTIME_TOKEN_RATE_PER_MINUTE },
      inboxRate: { perMinute: e.INBOX_RATE_PER_MINUTE },
    },
  } as const;
}

/**
 * Outside development the admin JWT secret must be set and strong: at least 32 characters with
 * at least 12 distinct ones (rules out placeholders such as CHANGE_ME... or repeated characters).
 * In development a missing secret becomes a random one for this process (sessions then end with it).
 */
function checkJwtSecret(mode: string, secret: string | undefined): string {
  const weak = secret === undefined || secret.length < 32 || new Set(secret).size < 12 || /CHANGE_ME/i.test(secret);
  if (!weak) return secret;
  if (mode === 'development') return secret && secret.length >= 32 ? secret : randomBytes(32).toString('hex');
  throw new ConfigError([
    {
      path: ['ADMIN_JWT_SECRET'],
      message: secret === undefined ? 'is required outside development' : 'is weak: use at least 32 random characters',
    },
  ]);
}

export type Config = ReturnType<typeof parseConfig>;

export function loadConfig(): Config {
  return parseConfig(process.env);
}
