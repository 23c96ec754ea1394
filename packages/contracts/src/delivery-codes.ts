import { entriesWith, CODES, isCode, type DeliveryCode, type DeliveryMapping, type OutcomeClass } from './codes.js';

export type { DeliveryCode, OutcomeClass } from './codes.js';

/**
 * The delivery view of the one catalog (codes.ts, SPEC §3): what an attempt's `error_code`, a log
 * row's `last_error_code`, a retry's and a dead letter's `lastError.code` may say. Each code carries
 * its meaning in the catalog, so no other file compares codes as strings: it asks here.
 *
 * - `class` — what the code says about the send (see `DeliveryMapping` in codes.ts).
 * - `deadLettered` — a notification FAILED with this code has a dead letter (replayable).
 * - `raisedBy` — who writes the code: a provider adapter, the gateway, the sweeper, or the worker
 *   when it creates the log row.
 *
 * Recorded codes are read through `deliveryCodeOf`, which also reads the names rows written before
 * decision 0004 may hold (`FORMER_DELIVERY_NAMES`).
 */
export interface DeliveryCodeInfo extends DeliveryMapping {
  readonly meaning: string;
}

export const DELIVERY_CODES = Object.fromEntries(
  entriesWith('delivery').map(([c, info]) => [c, { ...info.delivery, meaning: info.meaning }]),
) as {
  readonly [K in DeliveryCode]: DeliveryCodeInfo;
};

/**
 * Former names of delivery codes that stored rows (notification_attempts.error_code,
 * notification_logs.last_error_code, failed_notifications.error_code) and retry messages in flight
 * may still hold. Read here only; nothing writes them any more.
 */
export const FORMER_DELIVERY_NAMES: Readonly<Record<string, DeliveryCode>> = { RATE_LIMITED: 'VENDOR_RATE_LIMITED' };

export function isDeliveryCode(value: string): value is DeliveryCode {
  return isCode(value) && (CODES[value] as { delivery?: DeliveryMapping }).delivery !== undefined;
}

/** The delivery code a recorded code stands for (a former name read as today's); undefined for a code not in the catalog (or none). */
export function deliveryCodeOf(value: string | null | undefined): DeliveryCode | undefined {
  if (!value) return undefined;
  if (Object.hasOwn(FORMER_DELIVERY_NAMES, value)) return FORMER_DELIVERY_NAMES[value];
  return isDeliveryCode(value) ? value : undefined;
}

/** The class of a recorded code; undefined for a code not in the catalog (or none). */
export function outcomeClassOf(value: string | null | undefined): OutcomeClass | undefined {
  const code = deliveryCodeOf(value);
  return code ? DELIVERY_CODES[code].class : undefined;
}

/** A wait for a rate limit or a cap: it does not use up a retry. */
export function isThrottledCode(value: string | null | undefined): boolean {
  return outcomeClassOf(value) === 'throttled';
}

/** A notification FAILED with this code has a dead letter (a code not in the catalog has one too: it may be worth a replay). */
export function isDeadLetteredCode(value: string): boolean {
  return deliveryDisposition(value) !== 'record';
}

/**
 * What the gateway's Kafka handling does with an attempt ending in this code, by its class:
 * `retry` (RETRYING, a message on the retry topic, until RETRIES_EXHAUSTED), `failover` (the next
 * provider takes the attempt; with none left the notification FAILS with the code and is
 * dead-lettered), `dead_letter` (FAILED and published to notification.dlq), `record` (FAILED with
 * the code, no dead letter: nothing to replay). An ambiguous send is retried unless the tenant's
 * policy is `fail` (then FAILED and dead-lettered). A code not in the catalog is dead-lettered.
 */
export type DeliveryDisposition = 'retry' | 'failover' | 'dead_letter' | 'record';

export function deliveryDisposition(value: string): DeliveryDisposition {
  const code = deliveryCodeOf(value);
  if (code === undefined) return 'dead_letter';
  const info = DELIVERY_CODES[code];
  switch (info.class) {
    case 'retryable':
    case 'throttled':
    case 'ambiguous':
      return 'retry';
    case 'permanent_provider':
      return 'failover';
    case 'permanent_message':
      return info.deadLettered ? 'dead_letter' : 'record';
  }
}

/** The codes whose FAILED rows have no dead letter (nothing to replay). */
export const NOT_DEAD_LETTERED_CODES: readonly DeliveryCode[] = (Object.keys(DELIVERY_CODES) as DeliveryCode[]).filter(
  (c) => !DELIVERY_CODES[c].deadLettered,
);
