import type { FastifyInstance, FastifyRequest, onSendHookHandler } from 'fastify';
import { context, contextFromHeaders, SpanKind, SpanStatusCode, trace, type Span } from '@orqestra/telemetry';
import type { ServiceMetrics } from './service-metrics.js';

/** The trigger routes whose answers are counted as accepted / refused events. */
const TRIGGER_ROUTES: Record<string, 'trigger' | 'bulk'> = {
  '/api/v1/events/trigger': 'trigger',
  '/api/v1/events/trigger/bulk': 'bulk',
};

/**
 * Per request: a latency observation labelled with the route template (never the raw path, so
 * ids do not explode the series), the trigger routes' accepted/refused events by code, and —
 * when tracing is on — a SERVER span continuing the caller's `traceparent`, active while the
 * request is handled, so the Kafka publish of an accepted event becomes its child. Kept cheap:
 * the latency is Fastify's own `reply.elapsedTime`, the answer is read on the trigger routes
 * only, and without tracing no request hook runs at all. Register it after configureHttp
 * (which opens the request's log context) and before the routes are declared.
 */
export function observeHttp(fastify: FastifyInstance, metrics: ServiceMetrics, options: { tracing: boolean }): void {
  fastify.addHook('onRoute', (route) => {
    const name = TRIGGER_ROUTES[route.url];
    if (!name) return;
    const countAnswer: onSendHookHandler = (_request, reply, payload, done) => {
      countEvents(metrics, name, reply.statusCode, payload);
      done(null, payload);
    };
    route.onSend =
      route.onSend === undefined ? [countAnswer] : [...(Array.isArray(route.onSend) ? route.onSend : [route.onSend]), countAnswer];
  });

  const spans = new WeakMap<FastifyRequest, Span>();
  if (options.tracing) {
    const tracer = trace.getTracer('orqestra-api');
    fastify.addHook('onRequest', (request, _reply, done) => {
      const parent = contextFromHeaders(request.headers);
      const span = tracer.startSpan(
        request.method,
        { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method, 'orqestra.trace_id': request.traceId } },
        parent,
      );
      spans.set(request, span);
      context.with(trace.setSpan(parent, span), done);
    });
  }

  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const status = reply.statusCode;
    metrics.httpDuration.observe({ method: request.method, route, status: String(status) }, reply.elapsedTime / 1000);
    const span = options.tracing ? spans.get(request) : undefined;
    if (span) {
      span.updateName(`${request.method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': status });
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
    done();
  });
}

/** Reads the answer of a trigger route: a 200 accepted its event (bulk: each result says), an error body names its code. */
function countEvents(metrics: ServiceMetrics, route: 'trigger' | 'bulk', status: number, payload: unknown): void {
  if (status === 200 && route === 'trigger') {
    metrics.eventsAccepted.inc({ route });
    return;
  }
  const body = parse(payload);
  if (status === 200) {
    const results = (body as { results?: { success?: boolean; error?: { code?: string } }[] } | undefined)?.results ?? [];
    for (const result of results) {
      if (result.success === false) metrics.eventsRefused.inc({ route, code: result.error?.code ?? 'UNKNOWN' });
      else metrics.eventsAccepted.inc({ route });
    }
    return;
  }
  metrics.eventsRefused.inc({ route, code: (body as { error?: { code?: string } } | undefined)?.error?.code ?? `HTTP_${status}` });
}

function parse(payload: unknown): unknown {
  if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return undefined;
  try {
    return JSON.parse(payload.toString());
  } catch {
    return undefined;
  }
}
