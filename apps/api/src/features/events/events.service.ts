import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { BusProducer } from '@orqestra/bus';
import type { EventReceived } from '@orqestra/contracts';
import { AppError } from '../../platform/errors.js';
import type { ApiKeyPrincipal } from '../../platform/auth/api-key.resolver.js';
import { CLOCK, CONFIG, PRODUCER, type Clock } from '../../platform/tokens.js';
import type { Config } from '../../config.js';
import { canonicalJson } from './canonical-json.js';
import { deriveEventId } from './event-id.js';
import type { TriggerBody } from './event.schemas.js';
import { TriggerGate, type RateState, type Reservation } from './trigger-gate.js';

export interface AcceptedEvent {
  body: { success: true; message: string; eventId: string; traceId: string; duplicate: boolean };
  headers: Record<string, string>;
}

export const TRIGGER_GATE = Symbol('TRIGGER_GATE');

export function rateHeaders(rate: RateState): Record<string, string> {
  return {
    'ratelimit-limit': String(rate.limit),
    'ratelimit-remaining': String(Math.max(0, rate.remaining)),
    'ratelimit-reset': String(rate.resetSeconds),
  };
}

/**
 * Accepting an event (SPEC §2.1, after authentication and body validation): idempotency, rate
 * limit, publish to `tenant.event.received`. Answers only after Kafka acknowledged; a failure of
 * Redis or Kafka is UNAVAILABLE with the reservation released and the quota given back.
 */
@Injectable()
export class EventsService {
  constructor(
    @Inject(TRIGGER_GATE) private readonly gate: TriggerGate,
    @Inject(PRODUCER) private readonly producer: BusProducer,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  async accept(principal: ApiKeyPrincipal, body: TriggerBody, request: { traceId: string; idempotencyKey?: string }): Promise<AcceptedEvent> {
    const { tenantId, mode } = principal;
    // The key is X-Idempotency-Key, else a caller-supplied eventId; the two never share records.
    const clientKey = request.idempotencyKey !== undefined ? `key:${request.idempotencyKey}` : body.eventId !== undefined ? `eventId:${body.eventId}` : undefined;
    const eventId = body.eventId ?? (request.idempotencyKey !== undefined ? deriveEventId(tenantId, mode, request.idempotencyKey) : randomUUID());
    const now = this.clock.now();

    let decision;
    try {
      decision = await this.gate.acquire({
        tenantId,
        mode,
        limits: principal.limits,
        idempotency: clientKey ? { key: clientKey, bodyHash: sha256(canonicalJson(body)) } : undefined,
        now,
      });
    } catch {
      throw unavailable();
    }
    switch (decision.kind) {
      case 'replay': {
        const original = JSON.parse(decision.response) as AcceptedEvent['body'];
        return { body: { ...original, duplicate: true }, headers: { 'idempotent-replayed': 'true' } };
      }
      case 'reused':
        throw new AppError('IDEMPOTENCY_KEY_REUSED');
      case 'in_progress':
        throw new AppError('IDEMPOTENCY_IN_PROGRESS', { headers: { 'retry-after': '1' } });
      case 'limited':
        throw new AppError('RATE_LIMITED', {
          message: decision.window === 'day' ? 'Daily event cap reached' : 'Rate limit exceeded',
          headers: { 'retry-after': String(decision.rate.resetSeconds), ...rateHeaders(decision.rate) },
        });
    }

    const message: EventReceived = {
      v: 1,
      tenantId,
      mode,
      ...(principal.sandboxSessionId ? { sandboxSessionId: principal.sandboxSessionId } : {}),
      eventId,
      eventType: body.eventType,
      ...(body.channels ? { channels: body.channels } : {}),
      payload: body.payload,
      variables: body.variables ?? {},
      ...(body.locale ? { locale: body.locale } : {}),
      traceId: request.traceId,
      receivedAt: now.toISOString(),
    };
    await this.publish(message, request.traceId, decision.reservation);
    const response: AcceptedEvent['body'] = {
      success: true,
      message: `Event ${body.eventType} accepted`,
      eventId,
      traceId: request.traceId,
      duplicate: false,
    };
    // The event is in Kafka: a failure to record the reply must not turn into a 503 the client
    // would retry (the retry would be a harmless duplicate anyway: same eventId).
    await this.gate.complete(decision.reservation, JSON.stringify(response)).catch(() => {});
    return { body: response, headers: rateHeaders(decision.rate) };
  }

  private async publish(message: EventReceived, traceId: string, reservation: Reservation): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.producer.publish('eventReceived', [{ message, traceId }]),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('publish timed out')), this.config.trigger.publishTimeoutMs);
        }),
      ]);
    } catch {
      await this.gate.release(reservation).catch(() => {});
      throw unavailable();
    } finally {
      clearTimeout(timer);
    }
  }
}

function unavailable(): AppError {
  return new AppError('UNAVAILABLE', { headers: { 'retry-after': '1' } });
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
