import type { Delivered, Outgoing } from '@orqestra/bus';
import { context, SpanKind, SpanStatusCode, trace, type Context, type Span } from '@orqestra/telemetry';

export interface EventSpans {
  /** The dispatches, each carrying the span of the event it came from (its traceparent header). */
  carry(dispatches: Outgoing<'dispatch'>[]): Outgoing<'dispatch'>[];
  end(error?: unknown): void;
}

const OFF: EventSpans = { carry: (dispatches) => dispatches, end: () => {} };
const tracer = trace.getTracer('orqestra-worker');
const keyOf = (m: { tenantId: string; mode: string; eventId: string }) => `${m.tenantId}/${m.mode}/${m.eventId}`;

/**
 * The worker handles a fetched batch of events together (one transaction per tenant); tracing
 * still follows each event: one CONSUMER span per event, child of the API's publish span, and the
 * dispatches it produced are published as children of it. Off (no span, nothing allocated) while
 * tracing is off.
 */
export function startEventSpans(batch: readonly Delivered<'eventReceived'>[], tracing: boolean): EventSpans {
  if (!tracing) return OFF;
  const spans = new Map<string, { span: Span; ctx: Context }>();
  for (const d of batch) {
    if (spans.has(keyOf(d.message))) continue;
    const span = tracer.startSpan(
      'tenant.event.received process',
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.operation.type': 'process',
          'orqestra.event_id': d.message.eventId,
          'orqestra.tenant_id': d.message.tenantId,
          'orqestra.trace_id': d.traceId,
        },
      },
      d.context,
    );
    spans.set(keyOf(d.message), { span, ctx: trace.setSpan(d.context ?? context.active(), span) });
  }
  return {
    carry: (dispatches) => dispatches.map((o) => ({ ...o, context: spans.get(keyOf(o.message))?.ctx })),
    end(error?: unknown) {
      for (const { span } of spans.values()) {
        if (error !== undefined)
          span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
        span.end();
      }
    },
  };
}
