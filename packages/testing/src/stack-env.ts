import { readFileSync } from 'node:fs';

/**
 * Connection settings of the local stack for tests. `infra/stack.sh start` writes them to
 * $ORQ_STATE_DIR/stack.env; variables already in the environment win. Tests use the
 * `<db>_test` database so that a test run never litters the demo data of `npm run up`.
 */
export interface StackEnv {
  databaseUrl: string;
  databaseOwnerUrl: string;
  /** The gateway tests' database: their gateways' sweepers must not touch other suites' rows. */
  gatewayDatabaseUrl: string;
  gatewayDatabaseOwnerUrl: string;
  redisUrl: string;
  kafkaBrokers: string[];
  kafkaTopicPartitions: number;
  /** Tests use their own topics and consumer groups on the shared broker. */
  kafkaTopicPrefix: string;
  centrifugoUrl: string;
  centrifugoApiKey: string;
  centrifugoHmacSecret: string;
  raw: Record<string, string>;
}

export function stackEnvPath(): string {
  return process.env.ORQ_STACK_ENV ?? `${process.env.ORQ_STATE_DIR ?? '/var/tmp/orqestra'}/stack.env`;
}

export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^\s*([A-Z0-9_]+)=(.*)$/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) out[match[1]] = match[2];
  }
  return out;
}

function toTestDatabase(url: string, suffix = '_test'): string {
  const parsed = new URL(url);
  parsed.pathname = `${parsed.pathname.replace(/_(gw)?test$/, '')}${suffix}`;
  return parsed.toString();
}

let cached: StackEnv | undefined;

/** Environment for a service process started by a test: the stack's settings, pointed at the test database and topics. */
export function serviceEnv(overrides: Record<string, string> = {}): Record<string, string> {
  const env = stackEnv();
  return {
    PATH: process.env.PATH ?? '',
    ...env.raw,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: env.databaseUrl,
    DATABASE_OWNER_URL: env.databaseOwnerUrl,
    KAFKA_TOPIC_PREFIX: env.kafkaTopicPrefix,
    // Workers started by tests serve their health/metrics on a free port, never the stack's 3003.
    WORKER_PORT: '0',
    ...overrides,
  };
}

export function stackEnv(): StackEnv {
  if (cached) return cached;
  let fromFile: Record<string, string> = {};
  try {
    fromFile = parseEnvFile(readFileSync(stackEnvPath(), 'utf8'));
  } catch {
    throw new Error(`${stackEnvPath()} not found: start the stack first (npm test does it; or infra/stack.sh start)`);
  }
  const raw: Record<string, string> = { ...fromFile };
  for (const key of Object.keys(fromFile)) {
    const override = process.env[key];
    if (override !== undefined) raw[key] = override;
  }
  const need = (key: string): string => {
    const value = raw[key];
    if (!value) throw new Error(`${key} missing from ${stackEnvPath()}`);
    return value;
  };
  cached = {
    databaseUrl: toTestDatabase(need('DATABASE_URL')),
    databaseOwnerUrl: toTestDatabase(need('DATABASE_OWNER_URL')),
    gatewayDatabaseUrl: toTestDatabase(need('DATABASE_URL'), '_gwtest'),
    gatewayDatabaseOwnerUrl: toTestDatabase(need('DATABASE_OWNER_URL'), '_gwtest'),
    redisUrl: need('REDIS_URL'),
    kafkaBrokers: need('KAFKA_BROKERS').split(','),
    kafkaTopicPartitions: Number(raw.KAFKA_TOPIC_PARTITIONS ?? '2'),
    kafkaTopicPrefix: 'test.',
    centrifugoUrl: need('CENTRIFUGO_URL'),
    centrifugoApiKey: need('CENTRIFUGO_API_KEY'),
    centrifugoHmacSecret: need('CENTRIFUGO_HMAC_SECRET'),
    raw,
  };
  return cached;
}
