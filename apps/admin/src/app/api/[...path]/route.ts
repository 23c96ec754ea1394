import { config } from '@/config';
import { forwardedForOf } from '@/peer-address';

/**
 * The browser talks to the console's own origin only: /api/* is forwarded to the admin API as it is.
 * So the API's httpOnly refresh cookie (Path=/api/v1/<realm>/auth) is a first-party cookie of the
 * console, and the CSP can say connect-src 'self'. The access token travels in the Authorization
 * header from the page's memory; nothing is stored here.
 */
export const dynamic = 'force-dynamic';

const FORWARDED_REQUEST_HEADERS = [
  'authorization',
  'content-type',
  'cookie',
  'x-orqestra-csrf',
  'x-trace-id',
  'x-device-id',
  'x-idempotency-key',
  'user-agent',
  'accept',
];
const DROPPED_RESPONSE_HEADERS = new Set([
  'content-encoding',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'set-cookie',
]);

async function forward(request: Request, { params }: { params: Promise<{ path: string[] }> }): Promise<Response> {
  const { path } = await params;
  const incoming = new URL(request.url);
  const target = new URL(`/api/${path.map(encodeURIComponent).join('/')}${incoming.search}`, config.apiUrl);
  const headers = new Headers();
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  // What came in plus the address this server saw, never the client's header alone (src/peer-address.ts).
  const chain = forwardedForOf(request.headers);
  if (chain) headers.set('x-forwarded-for', chain);
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  let upstream: Response;
  try {
    upstream = await fetch(target, {
      method: request.method,
      headers,
      body: hasBody ? await request.arrayBuffer() : undefined,
      redirect: 'manual',
      cache: 'no-store',
    });
  } catch {
    return Response.json(
      {
        success: false,
        error: {
          code: 'UNAVAILABLE',
          message: 'The console cannot reach the admin API. Check that the API is running (npm run stack:status).',
        },
      },
      { status: 503 },
    );
  }
  const out = new Headers();
  upstream.headers.forEach((value, name) => {
    if (!DROPPED_RESPONSE_HEADERS.has(name)) out.set(name, value);
  });
  for (const cookie of upstream.headers.getSetCookie()) out.append('set-cookie', cookie);
  return new Response(upstream.status === 204 ? null : await upstream.arrayBuffer(), { status: upstream.status, headers: out });
}

export { forward as GET, forward as POST, forward as PUT, forward as PATCH, forward as DELETE };
