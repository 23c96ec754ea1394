import { randomUUID } from 'node:crypto';

const TRACE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** X-Trace-Id when it is valid (1-128 of [A-Za-z0-9._:-]), otherwise a new one. */
export function acceptTraceId(header: unknown): string {
  return typeof header === 'string' && TRACE_ID.test(header) ? header : randomUUID();
}
