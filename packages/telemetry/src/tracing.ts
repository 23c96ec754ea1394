import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type SpanOptions,
} from '@opentelemetry/api';

export interface TracingOptions {
  /** `service.name` of every span of this process (orqestra-api, orqestra-worker, orqestra-gateway). */
  serviceName: string;
  /**
   * OTLP/HTTP base address (OTEL_EXPORTER_OTLP_ENDPOINT, e.g. http://collector:4318); spans go to
   * `<endpoint>/v1/traces` as OTLP JSON. Undefined = tracing off: nothing is registered, and the
   * OpenTelemetry API stays the no-op it is by default.
   */
  otlpEndpoint?: string;
}

export interface Tracing {
  readonly enabled: boolean;
  /** Flushes the spans still buffered and stops exporting (call on graceful shutdown). */
  shutdown(): Promise<void>;
}

/**
 * Starts tracing for this process when an OTLP endpoint is configured: a tracer provider with
 * W3C trace-context propagation and AsyncLocalStorage context, a batching OTLP/HTTP exporter, and
 * the undici instrumentation (every fetch() — vendor calls, Centrifugo's publish API — becomes a
 * client span and carries `traceparent`). Call it before the process does any work. The SDK is
 * loaded only then: a process without an endpoint never imports it.
 */
export async function startTracing(options: TracingOptions): Promise<Tracing> {
  if (!options.otlpEndpoint) return { enabled: false, shutdown: async () => {} };
  const [
    { OTLPTraceExporter },
    { registerInstrumentations },
    { UndiciInstrumentation },
    { resourceFromAttributes },
    { BatchSpanProcessor },
    { NodeTracerProvider },
  ] = await Promise.all([
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/instrumentation'),
    import('@opentelemetry/instrumentation-undici'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/sdk-trace-node'),
  ]);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors: [
      new BatchSpanProcessor(new OTLPTraceExporter({ url: `${options.otlpEndpoint.replace(/\/+$/, '')}/v1/traces` }), {
        scheduledDelayMillis: 500,
      }),
    ],
  });
  provider.register();
  const disable = registerInstrumentations({ tracerProvider: provider, instrumentations: [new UndiciInstrumentation()] });
  return {
    enabled: true,
    async shutdown() {
      disable();
      await provider.shutdown();
    },
  };
}

/** The tracer of a component (a no-op one while tracing is off). */
export function tracer(name: string) {
  return trace.getTracer(name);
}

/**
 * Runs `work` inside a new span, child of `parent` (default: the active context), ending it when
 * `work` settles and recording a rejection as the span's error. While tracing is off this costs a
 * no-op span and a context switch.
 */
export async function inSpan<T>(
  name: string,
  options: SpanOptions & { parent?: Context; tracerName?: string },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = options.parent ?? context.active();
  const span = trace.getTracer(options.tracerName ?? 'orqestra').startSpan(name, options, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => work(span));
  } catch (error) {
    failSpan(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** Marks a span failed with the error's message (never its payload). */
export function failSpan(span: Span, error: unknown): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

/** The remote parent carried by incoming HTTP headers (`traceparent`), or the root context. */
export function contextFromHeaders(headers: Record<string, string | string[] | undefined>): Context {
  return propagation.extract(ROOT_CONTEXT, headers);
}

export { SpanKind, SpanStatusCode, context, trace, type Context, type Span };
