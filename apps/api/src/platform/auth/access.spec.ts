import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../config.js';
import { AccessTokens, type Principal } from './access.js';

const env = {
  DATABASE_URL: 'postgres://orqestra_app:pw@127.0.0.1:55432/orqestra',
  REDIS_URL: 'redis://127.0.0.1:56379',
  KAFKA_BROKERS: '127.0.0.1:59092',
  CENTRIFUGO_URL: 'http://127.0.0.1:58000',
  CENTRIFUGO_API_KEY: 'k'.repeat(32),
  CENTRIFUGO_HMAC_SECRET: 's'.repeat(32),
  CREDENTIALS_KEYS: 'k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
};
const principal: Principal = {
  subjectType: 'tenant_admin',
  subjectId: randomUUID(),
  role: 'admin',
  tenantId: randomUUID(),
  sessionFamilyId: randomUUID(),
  mustChangePassword: false,
};

describe('admin access tokens', () => {
  it('live ADMIN_ACCESS_TOKEN_SECONDS (15 minutes by default): valid until then, refused from that second on', async () => {
    for (const [setting, seconds] of [
      [undefined, 900],
      ['5', 5],
    ] as const) {
      let now = new Date('2026-12-04T10:00:00.000Z');
      const tokens = new AccessTokens(parseConfig({ ...env, ADMIN_ACCESS_TOKEN_SECONDS: setting }), { now: () => now });
      const { token, expiresAt } = await tokens.sign(principal);
      expect(expiresAt.getTime() - now.getTime()).toBe(seconds * 1000);
      now = new Date(expiresAt.getTime() - 1000);
      expect((await tokens.verify(token))?.principal).toEqual(principal);
      now = expiresAt;
      expect(await tokens.verify(token), `${seconds} s token at its expiry`).toBeNull();
    }
  });
});
