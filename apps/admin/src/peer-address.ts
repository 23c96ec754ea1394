import { randomUUID } from 'node:crypto';
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { forwardedFor, stampedValue } from '@/lib/client-address';

/**
 * Route handlers see a web Request, which has no socket, and Next fills in X-Forwarded-For with the
 * peer only when the request had none (a client's own header is kept as it is). Node's
 * `http.server.request.start` diagnostics channel fires for every request the server parses, before
 * Next sees it: there the console computes the X-Forwarded-For to send to the API (what came in, plus
 * the TCP peer) and stamps it on the request under a header whose value starts with a secret of this
 * process, so that neither a client sending that header nor a request parsed before the hook ran (Next
 * listens before it runs instrumentation) passes for a stamp. The secret lives on globalThis: the
 * instrumentation hook and the /api/* route are separate bundles of one process.
 */
const STAMP_HEADER = 'x-orqestra-console-forwarded-for';
const SECRET: unique symbol = Symbol.for('orqestra.console.forwarded-for-secret');
type Holder = { [SECRET]?: string };
const holder = globalThis as unknown as Holder;

function stamp(message: unknown): void {
  const { request, socket } = message as { request: IncomingMessage; socket: Socket };
  const secret = holder[SECRET];
  const received = request.headers['x-forwarded-for'];
  const chain = forwardedFor(Array.isArray(received) ? received.join(', ') : (received ?? null), socket.remoteAddress ?? null);
  if (secret && chain) request.headers[STAMP_HEADER] = `${secret};${chain}`;
  else delete request.headers[STAMP_HEADER];
}

/** Called once by src/instrumentation.ts when the server starts. */
export function stampForwardedFor(): void {
  if (holder[SECRET]) return;
  holder[SECRET] = randomUUID();
  subscribe('http.server.request.start', stamp);
}

/**
 * The X-Forwarded-For for the API: the request's own chain with its TCP peer appended, or null when the
 * request carries no valid stamp (then none is sent, and the API sees the console as the client).
 */
export function forwardedForOf(headers: Headers): string | null {
  return stampedValue(headers.get(STAMP_HEADER), holder[SECRET]);
}
