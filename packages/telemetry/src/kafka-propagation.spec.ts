import { context, propagation, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextOfHeaders, startProduceSpans } from '@orqestra/bus';

/** The W3C trace context that @orqestra/bus writes to and reads from Kafka headers, off and on. */
describe('trace context in Kafka headers', () => {
  it('while tracing is off, adds no header and reads every message as a new root', () => {
    const produce = startProduceSpans('tenant.event.received', [undefined, undefined]);
    produce.end();
    expect(produce.headers).toEqual([{}, {}]);
    expect(trace.getSpanContext(contextOfHeaders(new Map([['x-trace-id', 't-1']])))).toBeUndefined();
  });

  describe('with tracing on', () => {
    const exporter = new InMemorySpanExporter();
    const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    // The API's globals live on globalThis, which outlasts a test file in a vitest worker: a
    // provider another file registered would make register() a no-op. Start from none.
    beforeAll(() => {
      trace.disable();
      context.disable();
      propagation.disable();
      provider.register();
    });
    afterAll(async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    });

    it('publishes one PRODUCER span per parent, each message carrying its parent’s span as traceparent, and the consumer reads it back', () => {
      const tracer = trace.getTracer('test');
      const eventA = tracer.startSpan('event A');
      const eventB = tracer.startSpan('event B');
      const [a, b] = [trace.setSpan(ROOT_CONTEXT, eventA), trace.setSpan(ROOT_CONTEXT, eventB)];
      const produce = startProduceSpans('notification.dispatch', [a, a, b]);
      produce.end();
      const spans = exporter.getFinishedSpans();
      expect(spans.map((s) => [s.name, s.kind, s.parentSpanContext?.spanId])).toEqual([
        ['notification.dispatch publish', SpanKind.PRODUCER, eventA.spanContext().spanId],
        ['notification.dispatch publish', SpanKind.PRODUCER, eventB.spanContext().spanId],
      ]);
      expect(produce.headers[0]).toBe(produce.headers[1]);
      const received = trace.getSpanContext(contextOfHeaders(new Map(Object.entries({ ...produce.headers[2], 'x-trace-id': 't-2' }))));
      expect(received).toMatchObject({ traceId: eventB.spanContext().traceId, spanId: spans[1]!.spanContext().spanId, isRemote: true });
      expect(produce.headers[0]!.traceparent).toMatch(
        new RegExp(`^00-${eventA.spanContext().traceId}-${spans[0]!.spanContext().spanId}-01$`),
      );
    });
  });
});
