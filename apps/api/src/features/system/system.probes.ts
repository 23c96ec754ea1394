import type { Redis } from 'ioredis';
import type { BusProducer } from '@orqestra/bus';
import { withOperator, type Database } from '@orqestra/db';
import { secretsByKey, serverVersion } from './system.repository.js';

/** How long any one probe may take before it counts as failed (the page must answer while a component is down). */
export const PROBE_TIMEOUT_MS = 2_000;

/** Settles like `work`, or rejects after PROBE_TIMEOUT_MS saying what did not answer. */
export async function withinProbeTime<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${PROBE_TIMEOUT_MS / 1000} s`)), PROBE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** An operations endpoint's answers: /health/live (who it is) and /health/ready (its own checks). */
export interface OpsAnswer {
  live: { version?: unknown; node?: unknown; startedAt?: unknown } | null;
  readyStatus: number;
  checks: Record<string, string> | null;
}

/**
 * The side effects of the System page: each asks one component for real (a query, a command, a
 * request) and returns what it answered, or throws. SystemService decides what the answers mean.
 */
export class SystemProbes {
  constructor(
    private readonly database: Database,
    private readonly redis: Redis,
    private readonly producer: BusProducer,
    private readonly centrifugo: { url: string; apiKey: string },
  ) {}

  async postgresVersion(): Promise<string> {
    return serverVersion(this.database);
  }

  async redisVersion(): Promise<string> {
    const info = await this.redis.info('server');
    return /^redis_version:(.+)$/m.exec(info)?.[1]?.trim() ?? 'unknown';
  }

  /** Kafka reports no server version over its protocol: the check is a metadata request, as /health/ready does. */
  async kafka(): Promise<void> {
    await this.producer.ping();
  }

  /** Centrifugo's server API `info`: answers only with the right API key, and names each node's version. */
  async centrifugoVersion(): Promise<string> {
    const response = await fetch(new URL('/api/info', this.centrifugo.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': this.centrifugo.apiKey },
      body: '{}',
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`Centrifugo answered HTTP ${response.status}`);
    const body = (await response.json()) as { result?: { nodes?: { version?: string }[] }; error?: { message?: string } };
    if (body.error) throw new Error(`Centrifugo refused: ${body.error.message ?? 'error'}`);
    const versions = [...new Set((body.result?.nodes ?? []).map((n) => n.version ?? 'unknown'))];
    return versions.join(', ') || 'unknown';
  }

  async ops(baseUrl: string): Promise<OpsAnswer> {
    const get = (path: string) => fetch(new URL(path, baseUrl), { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    const [live, ready] = await Promise.all([get('/health/live'), get('/health/ready')]);
    const liveBody = live.ok ? ((await live.json().catch(() => null)) as OpsAnswer['live']) : null;
    const readyBody = (await ready.json().catch(() => null)) as { checks?: Record<string, string> } | null;
    return { live: liveBody, readyStatus: ready.status, checks: readyBody?.checks ?? null };
  }

  /** Secrets at rest by the key that sealed them (system.repository.ts), read as the operator. */
  async secretsByKey(operatorId: string): Promise<{ keyId: string; count: number }[]> {
    return withOperator(this.database, operatorId, (tx) => secretsByKey(tx));
  }
}
