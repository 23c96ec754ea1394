import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '@orqestra/testing';
import { FakeSendGrid } from '../sendgrid/fake-server.js';

// The `hang` switch of the HTTP fakes, used by the fault matrix (infra/faults) to play a vendor
// that stops answering for a while and then catches up.
const fake = new FakeSendGrid();
beforeAll(async () => {
  await fake.start();
});
afterAll(async () => {
  await fake.close();
});

function send(signal: AbortSignal) {
  return fetch(`${fake.url}/v3/mail/send`, {
    method: 'POST',
    signal,
    headers: { authorization: `Bearer ${fake.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      personalizations: [{ to: [{ email: 'ada@example.com' }] }],
      from: { email: 'orders@shop.example' },
      subject: 'Hi',
      content: [{ type: 'text/plain', value: 'Hi' }],
    }),
  });
}

describe('a hung fake vendor', () => {
  it('answers nothing while hung, and processes the held send once released (the client that gave up "may have sent")', async () => {
    fake.reset().set({ hang: true });
    await expect(send(AbortSignal.timeout(300))).rejects.toThrow();
    expect(fake.received).toHaveLength(1);
    expect(fake.acceptedSends()).toBe(0);

    fake.set({ hang: false });
    await pollUntil(() => fake.acceptedSends(), { until: (n) => n === 1, timeoutMs: 5_000, what: 'the held send to be accepted' });
    const answered = await send(AbortSignal.timeout(5_000));
    expect(answered.status).toBe(202);
    expect(fake.acceptedSends()).toBe(2);
  });
});
