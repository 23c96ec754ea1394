import { describe, expect, inject, it } from 'vitest';
import { stackEnv } from '@orqestra/testing';

/** Browser access as a browser would try it: preflights and real requests with an Origin header. */
const adminOrigin = new URL(stackEnv().raw.ADMIN_UI_ORIGIN ?? 'http://127.0.0.1:3001').origin;
const otherOrigin = 'https://evil.example';

function preflight(path: string, origin: string, method = 'POST', headers = 'content-type') {
  return fetch(`${inject('apiUrl')}${path}`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers },
  });
}

describe('CORS', () => {
  it('lets only the admin UI origin call the admin routes, with credentials', async () => {
    for (const path of ['/api/v1/tenant/auth/refresh', '/api/v1/admin/auth/login']) {
      const allowed = await preflight(path, adminOrigin, 'POST', 'content-type, x-orqestra-csrf');
      expect(allowed.status).toBe(204);
      expect(allowed.headers.get('access-control-allow-origin')).toBe(adminOrigin);
      expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
      expect(allowed.headers.get('access-control-allow-headers')).toContain('X-Orqestra-CSRF');
      expect(allowed.headers.get('access-control-allow-methods')).toContain('DELETE');

      const refused = await preflight(path, otherOrigin);
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
      expect(refused.headers.get('access-control-allow-credentials')).toBeNull();
    }
    const fromUi = await fetch(`${inject('apiUrl')}/api/v1/tenant/auth/me`, { headers: { origin: adminOrigin } });
    expect(fromUi.status).toBe(401);
    expect(fromUi.headers.get('access-control-allow-origin')).toBe(adminOrigin);
    expect(fromUi.headers.get('vary')).toContain('Origin');
    // A direct caller on the admin origin can read what a CSV export answers besides its body.
    expect(fromUi.headers.get('access-control-expose-headers')).toBe(
      'Retry-After, X-Trace-Id, Content-Disposition, X-Orqestra-Export-Rows, X-Orqestra-Export-Truncated',
    );
    const fromElsewhere = await fetch(`${inject('apiUrl')}/api/v1/tenant/auth/me`, { headers: { origin: otherOrigin } });
    expect(fromElsewhere.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('lets any origin call the inbox, without credentials', async () => {
    const response = await preflight('/api/v1/inbox/notifications', otherOrigin, 'GET', 'authorization');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(response.headers.get('access-control-allow-headers')).toBe('Authorization, Content-Type');
    const get = await fetch(`${inject('apiUrl')}/api/v1/inbox/unread-count`, { headers: { origin: otherOrigin } });
    expect(get.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('gives no CORS headers anywhere else (trigger, realtime tokens, docs), not even to the admin UI', async () => {
    for (const path of ['/api/v1/events/trigger', '/api/v1/auth/realtime-token']) {
      for (const origin of [adminOrigin, otherOrigin]) {
        const response = await preflight(path, origin);
        expect(response.headers.get('access-control-allow-origin'), `${path} from ${origin}`).toBeNull();
      }
    }
    const trigger = await fetch(`${inject('apiUrl')}/api/v1/events/trigger`, { method: 'POST', headers: { origin: adminOrigin } });
    expect(trigger.status).toBe(401);
    expect(trigger.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('security headers', () => {
  it('are on every response, errors included', async () => {
    for (const [path, status] of [
      ['/health/live', 200],
      ['/api/v1/tenant/auth/me', 401],
      ['/api/v1/nowhere', 404],
    ] as const) {
      const response = await fetch(`${inject('apiUrl')}${path}`);
      expect(response.status, path).toBe(status);
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(response.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(response.headers.get('x-frame-options'), path).toBe('DENY');
    }
  });
});
