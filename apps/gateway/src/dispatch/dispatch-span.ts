import type { Delivered } from '@orqestra/bus';
import { context, inSpan, SpanKind } from '@orqestra/telemetry';

/**
 * The gateway's share of an event's trace: while tracing is on, each dispatch message is handled
 * inside a CONSUMER span, child of the worker's span (its traceparent header), so the vendor call
 * or Centrifugo publish (fetch → undici instrumentation) and any retry publish become its
 * children. While tracing is off `handle` runs as is.
 */
export function traceDispatch<T>(enabled: boolean, delivered: Delivered<'dispatch'>, handle: () => Promise<T>): Promise<T> {
  if (!enabled) return handle();
  const m = delivered.message;
  return inSpan(
    'notification.dispatch process',
    {
      parent: delivered.context,
      kind: SpanKind.CONSUMER,
      tracerName: 'orqestra-gateway',
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'process',
        'orqestra.notification_id': m.notificationId,
        'orqestra.channel': m.channel,
        'orqestra.tenant_id': m.tenantId,
        'orqestra.trace_id': delivered.traceId,
      },
    },
    handle,
  );
}

/** A retry message is held in memory until due: its send runs in the context it was published in. */
export function inMessageContext<T>(enabled: boolean, delivered: Delivered<'retry'>, send: () => T): T {
  return enabled ? context.with(delivered.context, send) : send();
}
