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

  it('takes the System page probes as name=url pairs, defaulting to the worker unless its port is 0', () => {
    expect(parseConfig(valid).systemProbes).toEqual([{ name: 'worker', url: 'http://127.0.0.1:3003' }]);
    expect(parseConfig({ ...valid, WORKER_PORT: '0' }).systemProbes).toEqual([]);
    expect(
      parseConfig({ ...valid, SYSTEM_PROBE_URLS: ' worker=http://10.0.0.5:3003/ , gateway-1=https://gw.internal:3002' }).systemProbes,
    ).toEqual([
      { name: 'worker', url: 'http://10.0.0.5:3003' },
      { name: 'gateway-1', url: 'https://gw.internal:3002' },
    ]);
    expect(() => parseConfig({ ...valid, SYSTEM_PROBE_URLS: 'worker=ftp://x,Gateway=http://y' })).toThrow(
      /SYSTEM_PROBE_URLS: "worker=ftp:\/\/x" is not name=http/,
    );
  });

  it('lists every bad variable at once, by name, without echoing secret values', () => {
    let error: unknown;
    try {
      parseConfig({
        ...valid,
        DATABASE_URL: 'mysql://x',
        KAFKA_BROKERS: 'nohost',
        CENTRIFUGO_HMAC_SECRET: 'short-secret-value',
        REDIS_URL: undefined,
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const name of ['DATABASE_URL', 'KAFKA_BROKERS', 'CENTRIFUGO_HMAC_SECRET', 'REDIS_URL']) expect(message).toContain(name);
    expect(message).not.toContain('short-secret-value');
    expect((error as ConfigError).issues).toHaveLength(4);
  });

  it('refuses to start without a strong admin JWT secret outside development, and generates one in development', () => {
    for (const mode of ['production', 'test'] as const) {
      for (const secret of [undefined, 'too-short', 'a'.repeat(64), 'CHANGE_ME_CHANGE_ME_CHANGE_ME_0123456789']) {
        let error: unknown;
        try {
          parseConfig({ ...valid, NODE_ENV: mode, ADMIN_JWT_SECRET: secret });
        } catch (caught) {
          error = caught;
        }
        expect(error, `${mode} with ${String(secret)}`).toBeInstanceOf(ConfigError);
        expect((error as Error).message).toContain('ADMIN_JWT_SECRET');
        if (secret) expect((error as Error).message).not.toContain(secret);
      }
      const strong = '3f9c1e7a5b2d8046af1c93e7b5d20a4c';
      expect(parseConfig({ ...valid, NODE_ENV: mode, ADMIN_JWT_SECRET: strong }).admin.jwtSecret).toBe(strong);
    }
    const first = parseConfig({ ...valid, NODE_ENV: 'development' }).admin.jwtSecret;
    const second = parseConfig({ ...valid, NODE_ENV: 'development' }).admin.jwtSecret;
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(second).not.toBe(first);
    expect(
      parseConfig({ ...valid, NODE_ENV: 'production', ADMIN_JWT_SECRET: '3f9c1e7a5b2d8046af1c93e7b5d20a4c' }).admin.secureCookies,
    ).toBe(true);
  });

  it('gives admin access tokens 15 minutes unless ADMIN_ACCESS_TOKEN_SECONDS says otherwise, and names a bad value', () => {
    expect(parseConfig(valid).admin.accessTokenSeconds).toBe(900);
    expect(parseConfig({ ...valid, ADMIN_ACCESS_TOKEN_SECONDS: '5' }).admin.accessTokenSeconds).toBe(5);
    for (const [value, reason] of [
      ['4', 'at least 5 seconds'],
      ['3601', 'at most 3600 seconds'],
      ['1.5', 'whole number'],
      ['15m', 'whole number'],
    ] as const) {
      let error: unknown;
      try {
        parseConfig({ ...valid, ADMIN_ACCESS_TOKEN_SECONDS: value });
      } catch (caught) {
        error = caught;
      }
      expect(error, value).toBeInstanceOf(ConfigError);
      expect((error as Error).message, value).toContain(
        `ADMIN_ACCESS_TOKEN_SECONDS: must be ${reason.startsWith('whole') ? 'a ' : ''}${reason}`,
      );
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
