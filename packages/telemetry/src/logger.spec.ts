import { describe, expect, it } from 'vitest';
import { createLogger, logContext, REDACTED } from './index.js';

/** A destination that keeps each JSON line the logger writes. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  return { lines, stream: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } };
}

describe('createLogger', () => {
  it('redacts secrets and contact details wherever we log them, and keeps the rest', () => {
    const { lines, stream } = capture();
    const logger = createLogger('info', 'test', stream);
    const logged = {
      tenantId: 't-1',
      apiKey: 'oq_live_secret',
      email: 'ada@example.com',
      config: { credentials: { apiKey: 're_123' }, baseUrl: 'https://api.resend.com', refreshToken: 'r-1' },
      message: { notificationId: 'n-1', recipient: { userId: 'u-1', email: 'ada@example.com', phone: '+15555550100' } },
      request: { to: '+15555550100', authorization: 'Bearer abc' },
      req: { headers: { authorization: 'Bearer abc', cookie: 'orq_refresh=xyz', 'x-api-key': 'oq_live_secret', 'user-agent': 'curl' } },
    };
    logger.warn(logged, 'something happened');

    const line = lines[0]!;
    expect(line).toMatchObject({ level: 40, name: 'test', msg: 'something happened', tenantId: 't-1' });
    expect(line.apiKey).toBe(REDACTED);
    expect(line.email).toBe(REDACTED);
    expect(line.config).toEqual({ credentials: REDACTED, baseUrl: 'https://api.resend.com', refreshToken: REDACTED });
    expect(line.message).toEqual({ notificationId: 'n-1', recipient: { userId: 'u-1', email: REDACTED, phone: REDACTED } });
    expect(line.request).toEqual({ to: REDACTED, authorization: REDACTED });
    expect(line.req).toEqual({ headers: { authorization: REDACTED, cookie: REDACTED, 'x-api-key': REDACTED, 'user-agent': 'curl' } });
    const text = JSON.stringify(line);
    for (const secret of ['oq_live_secret', 're_123', 'ada@example.com', '+15555550100', 'Bearer abc', 'xyz', 'r-1'])
      expect(text).not.toContain(secret);
    // The caller's object is left as it was.
    expect(logged.message.recipient.email).toBe('ada@example.com');
  });

  it('mixes the unit of work’s context into every line', () => {
    const { lines, stream } = capture();
    const logger = createLogger('info', 'test', stream);
    logContext.run({ traceId: 'tr-1', tenantId: 't-1', eventId: 'e-1' }, () => logger.info('inside'));
    logger.info('outside');
    expect(lines[0]).toMatchObject({ traceId: 'tr-1', tenantId: 't-1', eventId: 'e-1', msg: 'inside' });
    expect(lines[1]).not.toHaveProperty('traceId');
  });
});
