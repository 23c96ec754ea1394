import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ConfigError, ENV_VARIABLES, parseConfig } from './config.js';

const valid = {
  DATABASE_URL: 'postgres://orqestra_app:pw@127.0.0.1:55432/orqestra',
  REDIS_URL: 'redis://127.0.0.1:56379',
  KAFKA_BROKERS: '127.0.0.1:59092, 127.0.0.2:59092',
  CENTRIFUGO_URL: 'http://127.0.0.1:58000',
  CENTRIFUGO_API_KEY: 'k'.repeat(32),
  CENTRIFUGO_HMAC_SECRET: 's'.repeat(32),
  CREDENTIALS_KEYS: 'k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
};

describe('config', () => {
  it('parses the environment into typed, nested settings with documented defaults', () => {
    const config = parseConfig(valid);
    expect(config.kafka).toEqual({ brokers: ['127.0.0.1:59092', '127.0.0.2:59092'], partitions: 4, replicas: 1, topicPrefix: '' });
    expect(config.database.poolMax).toBe(20);
    expect(config.mode).toBe('development');
  });

  it('lists every bad variable at once, by name, without echoing secret values', () => {
    let error: unknown;
    try {
      parseConfig({ ...valid, DATABASE_URL: 'mysql://x', KAFKA_BROKERS: 'nohost', CENTRIFUGO_HMAC_SECRET: 'short-secret-value', REDIS_URL: undefined });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const name of ['DATABASE_URL', 'KAFKA_BROKERS', 'CENTRIFUGO_HMAC_SECRET', 'REDIS_URL']) expect(message).toContain(name);
    expect(message).not.toContain('short-secret-value');
    expect((error as ConfigError).issues).toHaveLength(4);
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
