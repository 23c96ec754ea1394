import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line of a unit of work carries (SPEC §8). */
export interface LogContext {
  traceId?: string;
  tenantId?: string;
  eventId?: string;
  notificationId?: string;
}

/** The current unit of work's context (a request, a consumed message); createLogger mixes it into every line. */
export const logContext = new AsyncLocalStorage<LogContext>();

/** Adds fields to the current unit of work's context (no-op outside one). */
export function annotate(fields: Partial<LogContext>): void {
  const store = logContext.getStore();
  if (store) Object.assign(store, fields);
}
