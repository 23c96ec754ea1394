import { describe, expect, it } from 'vitest';
import { gatewayLogger } from './logger.js';

describe('gateway logger', () => {
  it('redacts a recipient’s contact details and a provider’s secrets, as every process does', () => {
    const lines: Record<string, unknown>[] = [];
    const logger = gatewayLogger('info', { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    logger.warn(
      {
        notificationId: 'n-1',
        email: 'ada@example.com',
        recipient: { userId: 'u-1', phone: '+15555550100' },
        config: { apiKey: 're_123' },
      },
      'could not prepare the send',
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      name: 'orqestra-gateway',
      notificationId: 'n-1',
      email: '[redacted]',
      recipient: { userId: 'u-1', phone: '[redacted]' },
      config: { apiKey: '[redacted]' },
    });
    for (const secret of ['ada@example.com', '+15555550100', 're_123']) expect(JSON.stringify(lines[0])).not.toContain(secret);
  });
});
