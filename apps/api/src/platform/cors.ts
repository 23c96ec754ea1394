import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Browser access to the API (SPEC §6, §7 "HTTP hardening"), decided by path:
 *  - admin routes (/api/v1/admin/*, /api/v1/tenant/*): only the admin UI's origin, with
 *    credentials (the refresh cookie); any other origin gets no CORS headers at all;
 *  - inbox routes (/api/v1/inbox/*): any origin, without credentials (a bearer token instead);
 *  - everything else (trigger, realtime tokens, docs): no CORS headers — server-to-server only.
 * Preflights (OPTIONS with Access-Control-Request-Method) of those paths are answered here, 204.
 * Every response also carries a few security headers.
 */
export const ADMIN_CORS = {
  methods: 'GET, POST, PUT, PATCH, DELETE',
  headers: 'Authorization, Content-Type, X-Orqestra-CSRF, X-Trace-Id, X-Device-Id, X-Idempotency-Key',
  maxAgeSeconds: 600,
};
export const INBOX_CORS = { methods: 'GET, POST', headers: 'Authorization, Content-Type' };

type Policy = 'admin' | 'inbox' | 'none';

function policyOf(url: string): Policy {
  const path = url.split('?', 1)[0]!;
  if (path.startsWith('/api/v1/admin/') || path.startsWith('/api/v1/tenant/')) return 'admin';
  if (path.startsWith('/api/v1/inbox/')) return 'inbox';
  return 'none';
}

export function configureBrowserAccess(fastify: FastifyInstance, options: { adminOrigin: string }): void {
  const adminOrigin = new URL(options.adminOrigin).origin;
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done) => {
    const policy = policyOf(request.url);
    if (policy === 'none') return done();
    const origin = request.headers.origin;
    const preflight = request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;
    if (policy === 'admin') {
      void reply.header('vary', 'Origin');
      if (origin === adminOrigin) {
        void reply.header('access-control-allow-origin', adminOrigin).header('access-control-allow-credentials', 'true');
        if (preflight) {
          void reply
            .header('access-control-allow-methods', ADMIN_CORS.methods)
            .header('access-control-allow-headers', ADMIN_CORS.headers)
            .header('access-control-max-age', String(ADMIN_CORS.maxAgeSeconds));
        } else {
          // The export headers too: a console on the admin origin calling the API directly reads a CSV download's name and row count.
          void reply.header(
            'access-control-expose-headers',
            'Retry-After, X-Trace-Id, Content-Disposition, X-Orqestra-Export-Rows, X-Orqestra-Export-Truncated',
          );
        }
      }
    } else {
      void reply.header('access-control-allow-origin', '*');
      if (preflight)
        void reply
          .header('access-control-allow-methods', INBOX_CORS.methods)
          .header('access-control-allow-headers', INBOX_CORS.headers)
          .header('access-control-max-age', '600');
      else
        void reply.header(
          'access-control-expose-headers',
          'Retry-After, X-Trace-Id, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset',
        );
    }
    if (preflight) {
      void reply.status(204).send();
      return;
    }
    done();
  });
  fastify.addHook('onSend', (_request, reply, _payload, done) => {
    void reply.header('referrer-policy', 'no-referrer');
    if (!reply.hasHeader('x-frame-options')) void reply.header('x-frame-options', 'DENY');
    done();
  });
}
