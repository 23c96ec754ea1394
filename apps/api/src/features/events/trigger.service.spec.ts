import { describe, expect, it } from 'vitest';
import type { Logger } from 'pino';
import type { BusProducer } from '@orqestra/bus';
import { eventReceivedSchema } from '@orqestra/contracts';
import type { Config } from '../../config.js';
import type { ApiKeyPrincipal } from '../../platform/auth/api-key.resolver.js';
import { AppError } from '../../platform/errors.js';
import { triggerBodySchema } from './event.schemas.js';
import { TriggerService } from './trigger.service.js';
import type { GateDecision, Reservation, TriggerGateStore } from './trigger-gate.store.js';

// What the service decides around the two things it cannot control: when Kafka confirms a publish
// and whether Redis records the reply. Both are driven here step by step (deferred promises), so
// the order of events is exact; the real gate and producer are covered by the integration and
// outage suites.
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

function setup(options: { completeFailures?: number } = {}) {
  const calls = { completed: [] as string[], released: 0, errors: [] as { fields: Record<string, unknown>; message: string }[] };
  const publish = deferred<void>();
  let completeFailures = options.completeFailures ?? 0;
  const reservation: Reservation = { keys: ['r', 'd', 'i'], token: 't', bodyHash: 'h', perMinute: 60, charged: true };
  const gate = {
    acquire: async (): Promise<GateDecision> => ({ kind: 'accepted', rate: { limit: 60, remaining: 59, resetSeconds: 1 }, reservation }),
    complete: async (_r: Reservation, response: string) => {
      if (completeFailures-- > 0) throw new Error('Redis is restarting');
      calls.completed.push(response);
    },
    release: async () => void calls.released++,
  } as unknown as TriggerGateStore;
  const producer = { publish: () => publish.promise } as unknown as BusProducer;
  const logger = {
    error: (fields: Record<string, unknown>, message: string) => calls.errors.push({ fields, message }),
  } as unknown as Logger;
  const config = { trigger: { publishTimeoutMs: 50 } } as unknown as Config;
  const service = new TriggerService(gate, producer, { now: () => new Date() }, config, logger);
  const principal = {
    apiKeyId: 'k',
    tenantId: '00000000-0000-4000-8000-000000000001',
    mode: 'live',
    sandboxSessionId: null,
    limits: { perMinute: 60, burst: 10, dailyCap: 1000 },
  } as unknown as ApiKeyPrincipal;
  const accept = () =>
    service.accept(principal, { eventType: 'order.shipped', payload: { userId: 'u-1' } }, { traceId: 'trace-1', idempotencyKey: 'key-1' });
  return { calls, publish, accept };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setImmediate(resolve));
  expect(check()).toBe(true);
}

describe('accepting an event when Kafka or Redis misbehave', () => {
  it('a publish confirmed after the 503 was answered is recorded as accepted: a repeat with the same key gets the original answer', async () => {
    const { calls, publish, accept } = setup();
    const answer = accept();
    await expect(answer).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(calls.completed).toHaveLength(0);
    publish.resolve();
    await until(() => calls.completed.length === 1);
    expect(JSON.parse(calls.completed[0] ?? '{}')).toMatchObject({ success: true, eventId: expect.any(String) });
    expect(calls.released).toBe(0);
  });

  it('a publish that fails after the 503 releases the reservation (the quota is refunded, a repeat is new)', async () => {
    const { calls, publish, accept } = setup();
    await expect(accept()).rejects.toBeInstanceOf(AppError);
    publish.reject(new Error('broker gone'));
    await until(() => calls.released === 1);
    expect(calls.completed).toHaveLength(0);
  });

  it('a reply that Redis fails to record is retried, and the event is still accepted', async () => {
    const { calls, publish, accept } = setup({ completeFailures: 2 });
    publish.resolve();
    const answer = await accept();
    expect(answer.body.success).toBe(true);
    expect(calls.completed).toHaveLength(1);
    expect(calls.errors).toEqual([]);
  });

  it('a reply that cannot be recorded at all is logged with the eventId, never dropped silently', async () => {
    const { calls, publish, accept } = setup({ completeFailures: 100 });
    publish.resolve();
    const answer = await accept();
    expect(answer.body.success).toBe(true);
    expect(calls.completed).toHaveLength(0);
    expect(calls.errors).toHaveLength(1);
    expect(calls.errors[0]?.fields.eventId).toBe(answer.body.eventId);
    expect(calls.errors[0]?.message).toMatch(/idempotency reply/);
  });
});

describe('the tenant.event.received message of an accepted event', () => {
  // The producer is told the message is already valid (no second, copying zod parse): it must be
  // exactly what the topic's schema accepts, and serialize to the bytes that schema's parse gave.
  it('passes the topic schema unchanged, for bodies using every optional field and for minimal ones', async () => {
    const published: { message: unknown; options: unknown }[] = [];
    const reservation: Reservation = { keys: ['r', 'd', 'i'], token: 't', bodyHash: 'h', perMinute: 60, charged: true };
    const gate = {
      acquire: async (): Promise<GateDecision> => ({ kind: 'accepted', rate: { limit: 60, remaining: 59, resetSeconds: 0 }, reservation }),
      complete: async () => {},
      release: async () => {},
    } as unknown as TriggerGateStore;
    const producer = {
      publish: async (_topic: string, batch: { message: unknown }[], options: unknown) =>
        void published.push(...batch.map((b) => ({ message: b.message, options }))),
    } as unknown as BusProducer;
    const config = { trigger: { publishTimeoutMs: 1_000 } } as unknown as Config;
    const service = new TriggerService(gate, producer, { now: () => new Date() }, config, {} as Logger);
    const live = {
      apiKeyId: 'k',
      tenantId: '00000000-0000-4000-8000-000000000001',
      mode: 'live',
      sandboxSessionId: null,
      limits: { perMinute: 60, burst: 10, dailyCap: 1000 },
    };
    const sandbox = { ...live, mode: 'sandbox', sandboxSessionId: 'session-1' };
    const bodies = [
      { eventType: 'order.shipped', payload: { userId: 'u-1' } },
      {
        locale: 'en-GB',
        variables: { order: { id: 7, items: [{ name: 'pen' }] }, z: null, a: 'first' },
        payload: { recipientPhone: '+254700000000', extra: { deep: [1, 2] }, userId: 'u-2', recipientEmail: 'ü@example.org' },
        channels: ['SMS', 'EMAIL', 'PUSH'],
        eventId: 'evt-42',
        eventType: 'order:confirmed_v2.x-y',
      },
    ];
    for (const principal of [live, sandbox]) {
      for (const raw of bodies) {
        for (const idempotencyKey of [undefined, 'key-1']) {
          await service.accept(principal as unknown as ApiKeyPrincipal, triggerBodySchema.parse(raw), {
            traceId: 'trace-1',
            idempotencyKey,
          });
        }
      }
    }
    expect(published).toHaveLength(8);
    for (const { message, options } of published) {
      expect(options).toEqual({ validated: true });
      const parsed = eventReceivedSchema.safeParse(message);
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
      expect(JSON.stringify(message)).toBe(JSON.stringify(parsed.data));
    }
  });
});
