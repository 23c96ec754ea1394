export { contextFromHeaders, context, failSpan, inSpan, SpanKind, SpanStatusCode, startTracing, trace, tracer, type Context, type Span, type Tracing, type TracingOptions } from './tracing.js';
