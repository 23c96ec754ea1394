export {
  contextFromHeaders,
  context,
  failSpan,
  inSpan,
  SpanKind,
  SpanStatusCode,
  startTracing,
  trace,
  tracer,
  type Context,
  type Span,
  type Tracing,
  type TracingOptions,
} from './tracing.js';
export { annotate, logContext, type LogContext } from './log-context.js';
export { CONTACT_FIELDS, createLogger, REDACTED, REDACTED_PATHS, SECRET_FIELDS } from './logger.js';
export type { Logger } from 'pino';
export { serviceInfo, type ServiceInfo } from './service-info.js';
