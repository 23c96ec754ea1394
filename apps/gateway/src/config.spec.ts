import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, ENV_VARIABLES, parseConfig } from './config.js';

const valid = {
  DATABASE_URL: 'postgres://orqestra_app:pw@127.0.0.1:55432/orqestra',
  REDIS_URL: 'redis://127.0.0.1:56379',
  KAFKA_BROKERS: '127.0.0.1:59092',
  CENTRIFUGO_URL: 'http://127.0.0.1:58000',
  CENTRIFUGO_API_KEY: 'k'.repeat(32),
  CREDENTIALS_KEYS: 'k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
};

describe('gateway config', () => {
  it('reads the retry schedule with units and defaults to SPEC §3', () => {
    expect(parseConfig(valid).retry.delaysMs).toEqual([30_000, 120_000, 600_000, 1_800_000, 3_600_000]);
    expect(parseConfig({ ...valid, RETRY_SCHEDULE: '50ms,100ms' }).retry.delaysMs).toEqual([50, 100]);
  });

  it('refuses the private-URL development flag in production, and lists bad variables by name', () => {
    expect(() => parseConfig({ ...valid, NODE_ENV: 'production', ALLOW_PRIVATE_PROVIDER_URLS: 'true' })).toThrow(/development flag/);
    try {
      parseConfig({ ...valid, RETRY_SCHEDULE: 'soon', CENTRIFUGO_API_KEY: undefined });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(/RETRY_SCHEDULE[\s\S]*CENTRIFUGO_API_KEY|CENTRIFUGO_API_KEY[\s\S]*RETRY_SCHEDULE/);
    }
  });

  it('refuses a malformed broker list, naming KAFKA_BROKERS, as the API does', () => {
    expect(parseConfig({ ...valid, KAFKA_BROKERS: '10.0.0.1:9092, kafka-2:9092' }).kafka.brokers).toEqual([
      '10.0.0.1:9092',
      'kafka-2:9092',
    ]);
    for (const brokers of ['not-a-host-port', '127.0.0.1:59092,kafka-2', ' , ']) {
      expect(() => parseConfig({ ...valid, KAFKA_BROKERS: brokers }), brokers).toThrow(ConfigError);
      expect(() => parseConfig({ ...valid, KAFKA_BROKERS: brokers }), brokers).toThrow(/KAFKA_BROKERS/);
    }
    expect(() => parseConfig({ ...valid, KAFKA_BROKERS: 'not-a-host-port' })).toThrow(/KAFKA_BROKERS\.0: each broker must be host:port/);
  });

  it('takes the provider cache, the retry bounds and the send-rate deferral from the environment, with the former constants as defaults', () => {
    const defaults = parseConfig(valid);
    expect(defaults.providerCacheMs).toBe(30_000);
    expect(defaults.retryScheduler).toEqual({ maxScheduled: 100_000, maxBatch: 500 });
    expect(defaults.sendRateMaxWaitMs).toBe(250);
    const set = parseConfig({
      ...valid,
      PROVIDER_CACHE_MS: '0',
      RETRY_SCHEDULED_MAX: '10',
      RETRY_BATCH_MAX: '2',
      SEND_RATE_MAX_WAIT_MS: '1000',
    });
    expect([set.providerCacheMs, set.retryScheduler, set.sendRateMaxWaitMs]).toEqual([0, { maxScheduled: 10, maxBatch: 2 }, 1_000]);
    for (const [name, value] of [
      ['PROVIDER_CACHE_MS', '300001'],
      ['RETRY_SCHEDULED_MAX', '0'],
      ['RETRY_BATCH_MAX', '1.5'],
      ['SEND_RATE_MAX_WAIT_MS', '-1'],
    ] as const) {
      expect(() => parseConfig({ ...valid, [name]: value }), `${name}=${value}`).toThrow(new RegExp(`- ${name}:`));
    }
  });

  it('documents every variable it reads in .env.example', () => {
    const documented = new Set(
      readFileSync(new URL('../../../.env.example', import.meta.url), 'utf8')
        .split('\n')
        .map((line) => /^([A-Z0-9_]+)=/.exec(line)?.[1])
        .filter(Boolean),
    );
    expect(ENV_VARIABLES.filter((name) => !documented.has(name))).toEqual([]);
  });
});
