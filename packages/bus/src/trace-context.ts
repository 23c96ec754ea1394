import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type TextMapGetter,
} from '@opentelemetry/api';

/**
 * W3C trace context (`traceparent`, `tracestate`) in Kafka headers, beside the x-trace-id header.
 * Everything here goes through the OpenTelemetry API, which is a no-op until a process starts
 * tracing (@orqestra/telemetry): then no span records, nothing is injected, no header is added.
 */
/**
 * The tracer is looked up at each use, not once at import: a tracer obtained before a provider was
 * registered (or after the API was reset) would stay a no-op for the life of the module.
 */
const tracer = () => trace.getTracer('@orqestra/bus');

const mapGetter: TextMapGetter<Map<string, string>> = {
  keys: (carrier) => [...carrier.keys()],
  get: (carrier, key) => carrier.get(key),
};

/** The producer's span context carried by a consumed message's headers (root when none). */
export function contextOfHeaders(headers: Map<string, string>): Context {
  return propagation.extract(ROOT_CONTEXT, headers, mapGetter);
}

/**
 * One PRODUCER span per distinct parent context of a batch (a worker batch publishes the
 * dispatches of many events, each under its own trace), and for each message the headers that
 * carry its span. `end` closes the spans once the broker answered.
 */
export function startProduceSpans(
  topic: string,
  parents: readonly (Context | undefined)[],
): { headers: Record<string, string>[]; end(error?: unknown): void } {
  const spans = new Map<Context, { span: Span; carrier: Record<string, string> }>();
  const active = context.active();
  const headers = parents.map((parent) => {
    const ctx = parent ?? active;
    let entry = spans.get(ctx);
    if (!entry) {
      const span = tracer().startSpan(
        `${topic} publish`,
        {
          kind: SpanKind.PRODUCER,
          attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': topic, 'messaging.operation.type': 'send' },
        },
        ctx,
      );
      const carrier: Record<string, string> = {};
      if (span.isRecording()) propagation.inject(trace.setSpan(ctx, span), carrier);
      entry = { span, carrier };
      spans.set(ctx, entry);
    }
    return entry.carrier;
  });
  return {
    headers,
    end(error?: unknown) {
      for (const { span } of spans.values()) {
        if (error !== undefined)
          span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
        span.end();
      }
    },
  };
}

export type { Context };
