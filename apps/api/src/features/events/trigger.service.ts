import { hash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { MessageSchemaError, type BusProducer } from '@orqestra/bus';
import { retryLater, type EventReceived } from '@orqestra/contracts';
import { AppError, type ErrorDetail } from '../../platform/errors.js';
import { toDetails } from '../../platform/json-body.js';
import type { ApiKeyPrincipal } from '../../platform/auth/api-key.resolver.js';
import { LOGGER } from '../../platform/platform.module.js';
import { CLOCK, CONFIG, PRODUCER, type Clock } from '../../platform/tokens.js';
import type { Config } from '../../config.js';
import { canonicalJson } from './canonical-json.js';
import { deriveEventId } from './event-id.js';
import { triggerBodySchema, type TriggerBody } from './event.schemas.js';
import { TriggerGateStore, type GateDecision, type RateState, type Reservation } from './trigger-gate.store.js';

export interface AcceptedEvent {
  body: { success: true; message: string; eventId: string; traceId: string; duplicate: boolean };
  headers: Record<string, string>;
}

export const TRIGGER_GATE = Symbol('TRIGGER_GATE');

interface Admitted {
  kind: 'admitted';
  index: number;
  message: EventReceived;
  response: AcceptedEvent['body'];
  reservation: Reservation;
  rate: RateState;
}

type BulkItem = AcceptedEvent['body'] | { success: false; error: { code: string; message: string; details?: ErrorDetail[] } };

export interface AcceptedBulk {
  body: { results: BulkItem[] };
  headers: Record<string, string>;
}

function itemError(error: AppError): BulkItem {
  return { success: false, error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } };
}

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
export class TriggerService {
  constructor(
    @Inject(TRIGGER_GATE) private readonly gate: TriggerGateStore,
    @Inject(PRODUCER) private readonly producer: BusProducer,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async accept(
    principal: ApiKeyPrincipal,
    body: TriggerBody,
    request: { traceId: string; idempotencyKey?: string },
  ): Promise<AcceptedEvent> {
    const admitted = await this.admit(principal, body, request, this.clock.now());
    if (admitted.kind === 'replay') return { body: admitted.body, headers: { 'idempotent-replayed': 'true' } };
    await this.publish([admitted]);
    await this.complete(admitted);
    return { body: admitted.response, headers: rateHeaders(admitted.rate) };
  }

  /**
   * POST /api/v1/events/trigger/bulk (SPEC §2.2): each event validated, deduplicated by its own
   * eventId and charged as if sent alone; the admitted ones are published in one batch (a failed
   * publish is a 503 for the whole call). With X-Idempotency-Key the whole answer is recorded and
   * replayed — unless some events were refused for a reason a retry can fix (rate limit, in
   * progress): then nothing is recorded, and a retry replays the accepted events one by one.
   */
  async acceptBulk(
    principal: ApiKeyPrincipal,
    items: unknown[],
    request: { traceId: string; idempotencyKey?: string; bodyHash: string },
  ): Promise<AcceptedBulk> {
    const now = this.clock.now();
    let record: Reservation | undefined;
    if (request.idempotencyKey !== undefined) {
      const decision = await this.decide(principal, { key: `bulk:${request.idempotencyKey}`, bodyHash: request.bodyHash }, now, false);
      if (decision.kind === 'replay')
        return { body: JSON.parse(decision.response) as AcceptedBulk['body'], headers: { 'idempotent-replayed': 'true' } };
      record = decision.reservation;
    }
    const results: BulkItem[] = [];
    const admitted: Admitted[] = [];
    let rate: RateState | undefined;
    try {
      for (const [index, item] of items.entries()) {
        const parsed = triggerBodySchema.safeParse(item);
        if (!parsed.success) {
          results[index] = itemError(new AppError('VALIDATION_FAILED', { details: toDetails(parsed.error.issues) }));
          continue;
        }
        // Under a bulk key, an event without an eventId gets one derived from (key, position), so
        // a retry of the call deduplicates it like any other event.
        const body =
          request.idempotencyKey !== undefined && parsed.data.eventId === undefined
            ? { ...parsed.data, eventId: deriveEventId(principal.tenantId, principal.mode, `bulk:${request.idempotencyKey}#${index}`) }
            : parsed.data;
        try {
          const outcome = await this.admit(principal, body, { traceId: request.traceId }, now);
          if (outcome.kind === 'replay') results[index] = outcome.body;
          else {
            admitted.push({ ...outcome, index });
            rate = outcome.rate;
          }
        } catch (error) {
          if (!(error instanceof AppError) || error.code === 'UNAVAILABLE') throw error;
          results[index] = itemError(error);
        }
      }
    } catch (error) {
      await Promise.all(admitted.map((a) => this.gate.release(a.reservation).catch(() => {})));
      if (record) await this.gate.release(record).catch(() => {});
      throw error;
    }
    // All or nothing on the bus: a failed publish answers 503 for the whole call. publish() has
    // released the events' reservations (quota refunded once); the bulk record is released here.
    try {
      await this.publish(admitted);
    } catch (error) {
      if (record) await this.gate.release(record).catch(() => {});
      throw error;
    }
    await Promise.all(admitted.map((a) => this.complete(a)));
    for (const a of admitted) results[a.index] = a.response;
    const body = { results };
    if (record) {
      // Refusals that a retry could turn into acceptances (the catalog's retryLater) are not frozen into the replay.
      const retryable = results.some((r) => !r.success && retryLater(r.error.code));
      if (retryable) await this.gate.release(record).catch(() => {});
      else await this.gate.complete(record, JSON.stringify(body)).catch(() => {});
    }
    return { body, headers: rate ? rateHeaders(rate) : {} };
  }

  /** Idempotency and rate limit for one event: a replay, an admission to publish, or an AppError. */
  private async admit(
    principal: ApiKeyPrincipal,
    body: TriggerBody,
    request: { traceId: string; idempotencyKey?: string },
    now: Date,
  ): Promise<{ kind: 'replay'; body: AcceptedEvent['body'] } | Omit<Admitted, 'index'>> {
    const { tenantId, mode } = principal;
    // The key is X-Idempotency-Key, else a caller-supplied eventId; the two never share records.
    const clientKey =
      request.idempotencyKey !== undefined
        ? `key:${request.idempotencyKey}`
        : body.eventId !== undefined
          ? `eventId:${body.eventId}`
          : undefined;
    const eventId =
      body.eventId ?? (request.idempotencyKey !== undefined ? deriveEventId(tenantId, mode, request.idempotencyKey) : randomUUID());
    const decision = await this.decide(
      principal,
      clientKey ? { key: clientKey, bodyHash: sha256(canonicalJson(body)) } : undefined,
      now,
      true,
    );
    if (decision.kind === 'replay')
      return { kind: 'replay', body: { ...(JSON.parse(decision.response) as AcceptedEvent['body']), duplicate: true } };
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
    const response: AcceptedEvent['body'] = {
      success: true,
      message: `Event ${body.eventType} accepted`,
      eventId,
      traceId: request.traceId,
      duplicate: false,
    };
    return { kind: 'admitted', message, response, reservation: decision.reservation, rate: decision.rate };
  }

  /** One gate decision, with every refusal turned into its coded error. */
  private async decide(principal: ApiKeyPrincipal, idempotency: { key: string; bodyHash: string } | undefined, now: Date, charge: boolean) {
    let decision: GateDecision;
    try {
      decision = await this.gate.acquire({
        tenantId: principal.tenantId,
        mode: principal.mode,
        limits: principal.limits,
        idempotency,
        now,
        charge,
      });
    } catch {
      throw unavailable();
    }
    switch (decision.kind) {
      case 'reused':
        throw new AppError('IDEMPOTENCY_KEY_REUSED');
      case 'in_progress':
        throw new AppError('IDEMPOTENCY_IN_PROGRESS', { headers: { 'retry-after': '1' } });
      case 'limited':
        throw new AppError('RATE_LIMITED', {
          message: decision.window === 'day' ? 'Daily event cap reached' : 'Rate limit exceeded',
          headers: { 'retry-after': String(decision.rate.resetSeconds), ...rateHeaders(decision.rate) },
        });
      default:
        return decision;
    }
  }

  /**
   * The event is in Kafka: records the reply for repeats of the same key. A failure (Redis
   * restarting) is retried briefly; it must not turn into a 503 the client would retry. If the
   * record still cannot be written, a repeat is answered as new: harmless, since it carries the same
   * eventId and the worker keeps one event per eventId, but it is logged, never ignored.
   */
  private async complete(admitted: Omit<Admitted, 'index'>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.gate.complete(admitted.reservation, JSON.stringify(admitted.response));
      } catch (error) {
        if (attempt >= 3) {
          this.logger.error(
            { err: error, eventId: admitted.response.eventId, traceId: admitted.response.traceId },
            'accepted an event but could not record its idempotency reply: a repeat of this request will be answered as new (the worker still keeps one event per eventId)',
          );
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
      }
    }
  }

  /**
   * Publishes admitted events in one batch. A publish that fails releases every reservation (quota
   * refunded) → 503. A publish that is not confirmed in time is also a 503, but it may still land:
   * it is followed to its end, and then either recorded as accepted (a repeat with the same key gets
   * the original 200, with the eventId, and the quota stays charged) or released.
   */
  private async publish(admitted: Omit<Admitted, 'index'>[]): Promise<void> {
    if (admitted.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    // Every message was built by admit() from a body triggerBodySchema validated (stricter than the
    // topic's schema on each field it shares) and fields made here, so the producer does not parse
    // it again (trigger.service.spec.ts pins that the topic's schema accepts it unchanged).
    const publishing = this.producer.publish(
      'eventReceived',
      admitted.map((a) => ({ message: a.message, traceId: a.message.traceId })),
      { validated: true },
    );
    const timedOut = Symbol('timed out');
    try {
      const first = await Promise.race([
        publishing,
        new Promise<typeof timedOut>((resolve) => {
          timer = setTimeout(() => resolve(timedOut), this.config.trigger.publishTimeoutMs);
        }),
      ]);
      if (first === timedOut) {
        void publishing.then(
          () => Promise.all(admitted.map((a) => this.complete(a))),
          () => Promise.all(admitted.map((a) => this.gate.release(a.reservation).catch(() => {}))),
        );
        throw unavailable();
      }
    } catch (error) {
      if (error instanceof AppError) throw error;
      await Promise.all(admitted.map((a) => this.gate.release(a.reservation).catch(() => {})));
      // 503 (retry) only when Kafka failed; a message that cannot be built will never succeed.
      if (error instanceof MessageSchemaError || error instanceof RangeError || error instanceof TypeError) throw error;
      throw unavailable();
    } finally {
      clearTimeout(timer);
    }
  }
}

function unavailable(): AppError {
  return new AppError('UNAVAILABLE', { headers: { 'retry-after': '1' } });
}

/** One-shot digest (crypto.hash): the same hex as createHash, without a Hash object per call. */
function sha256(text: string): string {
  return hash('sha256', text, 'hex');
}
