import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, flag, int, kafkaEnv, parseEnv, refuseInProduction } from './index.js';

const schema = z.object({ ...kafkaEnv, POOL_MAX: int({ min: 1, max: 200 }).default(20), DEBUG_FLAG: flag() });

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  return expect.unreachable('accepted');
}

describe('parseEnv', () => {
  it('reads the environment through the schema, with the defaults', () => {
    expect(parseEnv(schema, { KAFKA_BROKERS: ' 10.0.0.1:9092, kafka-2:9092 ' })).toEqual({
      KAFKA_BROKERS: ['10.0.0.1:9092', 'kafka-2:9092'],
      KAFKA_TOPIC_PARTITIONS: 4,
      KAFKA_TOPIC_REPLICAS: 1,
      KAFKA_TOPIC_PREFIX: '',
      POOL_MAX: 20,
      DEBUG_FLAG: false,
    });
    expect(parseEnv(schema, { KAFKA_BROKERS: 'k:1', POOL_MAX: '200', DEBUG_FLAG: 'true' })).toMatchObject({
      POOL_MAX: 200,
      DEBUG_FLAG: true,
    });
  });

  it('names every bad variable at once', () => {
    const message = refusal(() =>
      parseEnv(schema, { KAFKA_BROKERS: 'kafka-without-port', POOL_MAX: '201', DEBUG_FLAG: 'yes', KAFKA_TOPIC_PARTITIONS: '1' }),
    );
    expect(message).toMatch(/^Configuration is invalid \(see \.env\.example\):/);
    expect(message).toContain('KAFKA_BROKERS.0: each broker must be host:port');
    for (const name of ['POOL_MAX', 'DEBUG_FLAG', 'KAFKA_TOPIC_PARTITIONS']) expect(message).toContain(`  - ${name}`);
    expect(refusal(() => parseEnv(schema, {}))).toContain('KAFKA_BROKERS');
    expect(refusal(() => parseEnv(schema, { KAFKA_BROKERS: 'k:1', POOL_MAX: '2.5' }))).toContain('POOL_MAX');
  });

  it('refuses development flags in production only', () => {
    expect(() => refuseInProduction('development', { ALLOW_X: true })).not.toThrow();
    expect(() => refuseInProduction('production', { ALLOW_X: false })).not.toThrow();
    expect(refusal(() => refuseInProduction('production', { ALLOW_X: true }))).toContain(
      'ALLOW_X: is a development flag; it cannot be set in production',
    );
  });
});
