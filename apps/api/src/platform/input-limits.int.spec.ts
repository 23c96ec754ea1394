import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { newTenant } from '../../test/fixtures.js';
import { adminRequest, caller } from '../../test/admin-fixtures.js';

/**
 * Bad input never answers 5xx (issue 13 item 3/4): NUL and unpaired surrogates in any string, an
 * unknown method, JSON nested thousands of levels deep. Each is a coded 4xx in the SPEC §2.1
 * shape, and nothing is accepted that PostgreSQL or Kafka would later refuse.
 */
const api = () => inject('apiUrl');

async function send(method: string, path: string, options: { headers?: Record<string, string>; body?: string } = {}) {
  const response = await fetch(`${api()}${path}`, { method, headers: options.headers ?? {}, body: options.body });
  const text = await response.text();
  let body: { success?: boolean; error?: { code?: string; details?: { path: string }[] }; traceId?: string } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // asserted below through the shape
  }
  return { status: response.status, body, headers: response.headers };
}

function expectCoded4xx(result: Awaited<ReturnType<typeof send>>, code?: string) {
  expect(result.status, JSON.stringify(result.body)).toBeGreaterThanOrEqual(400);
  expect(result.status, JSON.stringify(result.body)).toBeLessThan(500);
  expect(result.body.success).toBe(false);
  expect(typeof result.body.error?.code).toBe('string');
  expect(typeof result.body.traceId).toBe('string');
  if (code) expect(result.body.error?.code).toBe(code);
}

/** `depth` levels of objects around a value, as compact JSON (about 5 bytes a level). */
function nested(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

const json = { 'content-type': 'application/json' };

describe('an unknown HTTP method', () => {
  it.each(['/health/ready', '/api/v1/events/trigger', '/api/v1/admin/tenants', '/no/such/path'])(
    'QUERY %s without a content type is a coded 4xx',
    async (path) => {
      expectCoded4xx(await send('QUERY', path));
    },
  );
});

describe('NUL and unpaired surrogates in query strings and paths', () => {
  it('GET /api/v1/inbox/unread-count?userId=a%00b is refused with 422', async () => {
    const tenant = await newTenant();
    const result = await send('GET', '/api/v1/inbox/unread-count?userId=a%00b', { headers: { 'x-api-key': tenant.apiKey } });
    expectCoded4xx(result, 'VALIDATION_FAILED');
    expect(result.body.error?.details?.[0]?.path).toBe('query.userId');
  });

  it("the tenant's and the operator's log filters refuse NUL with 422", async () => {
    const tenant = await newTenant();
    const admin = await caller({ role: 'admin', tenantId: tenant.tenantId });
    const operator = await caller({ role: 'platform_operator' });
    for (const [token, path] of [
      [admin.token, '/api/v1/tenant/logs?eventType=a%00b'],
      [admin.token, '/api/v1/tenant/events?eventType=a%00b'],
      [operator.token, '/api/v1/admin/logs?recipient=a%00b'],
    ] as const) {
      expectCoded4xx(await send('GET', path, { headers: { authorization: `Bearer ${token}` } }), 'VALIDATION_FAILED');
    }
  });

  it('authentication is still checked first: no key answers 401, not 422', async () => {
    expectCoded4xx(await send('GET', '/api/v1/inbox/unread-count?userId=a%00b'), 'INVALID_API_KEY');
  });

  it('an event id holding NUL in the path is refused, not a server error', async () => {
    const tenant = await newTenant();
    expectCoded4xx(await send('GET', '/api/v1/events/a%00b', { headers: { 'x-api-key': tenant.apiKey } }));
  });
});

describe('NUL and unpaired surrogates in JSON bodies', () => {
  it.each(['/api/v1/admin/auth/login', '/api/v1/tenant/auth/login'])(
    'the unauthenticated login body %s refuses NUL with 422',
    async (path) => {
      const body = path.includes('admin') ? { username: 'a\u0000b', password: 'x' } : { email: 'a\u0000b@example.com', password: 'x' };
      expectCoded4xx(
        await adminRequest('POST', path, { body }).then((r) => ({ status: r.status, body: r.body, headers: r.headers })),
        'VALIDATION_FAILED',
      );
    },
  );

  it.each([
    ['payload.userId', { payload: { userId: 'u\u0000' } }],
    ['payload.userId', { payload: { userId: 'u\ud800' } }],
    ['variables.name', { payload: { userId: 'u' }, variables: { name: 'a\u0000' } }],
    ['variables.list.0', { payload: { userId: 'u' }, variables: { list: ['\udc00x'] } }],
    ['eventId', { payload: { userId: 'u' }, eventId: 'e\u0000' }],
  ])('a trigger with a bad character in %s is refused with 422 and is never accepted', async (path, fields) => {
    const tenant = await newTenant();
    const result = await send('POST', '/api/v1/events/trigger', {
      headers: { ...json, 'x-api-key': tenant.apiKey },
      body: JSON.stringify({ eventType: 'order.shipped', ...fields }),
    });
    expectCoded4xx(result, 'VALIDATION_FAILED');
    expect(result.body.error?.details?.map((d) => d.path)).toContain(path);
  });
});

describe('deeply nested JSON', () => {
  it.each([3_000, 5_000])('a login body nested %i levels deep is refused with 422', async (depth) => {
    expectCoded4xx(await send('POST', '/api/v1/admin/auth/login', { headers: json, body: nested(depth) }), 'VALIDATION_FAILED');
  });

  it.each([3_000, 5_000])('a trigger payload nested %i levels deep is 422, never 503 with Retry-After', async (depth) => {
    const tenant = await newTenant();
    const body = `{"eventType":"order.shipped","payload":{"userId":"u","deep":${nested(depth)}}}`;
    const result = await send('POST', '/api/v1/events/trigger', { headers: { ...json, 'x-api-key': tenant.apiKey }, body });
    expectCoded4xx(result, 'VALIDATION_FAILED');
    expect(result.headers.get('retry-after')).toBeNull();
  });

  it('variables nested deep and a bulk body nested deep are refused with 422', async () => {
    const tenant = await newTenant();
    const headers = { ...json, 'x-api-key': tenant.apiKey };
    expectCoded4xx(
      await send('POST', '/api/v1/events/trigger', {
        headers,
        body: `{"eventType":"a","payload":{"userId":"u"},"variables":{"v":${nested(4_000)}}}`,
      }),
      'VALIDATION_FAILED',
    );
    expectCoded4xx(
      await send('POST', '/api/v1/events/trigger/bulk', {
        headers: { ...headers, 'x-idempotency-key': randomUUID() },
        body: `{"events":[{"eventType":"a","payload":{"userId":"u"},"variables":{"v":${nested(4_000)}}}]}`,
      }),
      'VALIDATION_FAILED',
    );
  });

  it('a body nested within the limit is still accepted', async () => {
    const tenant = await newTenant();
    const result = await send('POST', '/api/v1/events/trigger', {
      headers: { ...json, 'x-api-key': tenant.apiKey },
      body: `{"eventType":"order.shipped","payload":{"userId":"u"},"variables":{"v":${nested(20)}}}`,
    });
    expect(result.status).toBe(200);
  });
});
