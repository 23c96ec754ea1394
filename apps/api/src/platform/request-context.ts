import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** What every log line of a unit of work carries (SPEC §8). */
export interface LogContext {
  traceId?: string;
  tenantId?: string;
  eventId?: string;
  notificationId?: string;
}

export const logContext = new AsyncLocalStorage<LogContext>();

/** Adds fields to the current unit of work's context (no-op outside one). */
export function annotate(fields: Partial<LogContext>): void {
  const store = logContext.getStore();
  if (store) Object.assign(store, fields);
}

const TRACE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** X-Trace-Id when it is valid (1-128 of [A-Za-z0-9._:-]), otherwise a new one. */
export function acceptTraceId(header: unknown): string {
  return typeof header === 'string' && TRACE_ID.test(header) ? header : randomUUID();
}
