import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { decodeJwt, SignJWT } from 'jose';
import { sql } from 'kysely';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { GLOBAL_NAMESPACE, userChannel } from '@orqestra/contracts';
import { realtimeSubject } from '@orqestra/crypto';
import { withTenant } from '@orqestra/db';
import { pollUntil, stackEnv } from '@orqestra/testing';
import {
  adminCall,
  adminRequest,
  newOperator,
  newTenantAdmin,
  operatorToken,
  seedLog,
  tenantAdminToken,
  type AdminResponse,
} from '../admin-fixtures.js';
import { readAdminRouteTable } from '../admin-route-table.js';
import type { RouteScenario, ScenarioContext } from '../admin-scenarios/types.js';
import { event, newProviderConfig, newTenant, setWebhookSecret, sign, testDatabase, trigger } from '../fixtures.js';
import { centrifugeClient, handMadeToken, mintRealtimeToken, subscribeOutcome } from '../realtime.js';

/**
 * The attack suite (issue 13): what an attacker tries against a running stack, counted. Every
 * attempt is one call or query that must be refused or must show nothing of another tenant; a
 * "leak" is another tenant's data in an answer, a "failure to refuse" is an attempt that got
 * through. The tenant routes come from the built app's route table (with the scenarios of the
 * generated admin-route tests), so a route added later is attacked too. The totals are printed
 * at the end (docs/reliability.md, "Isolation and authentication", quotes them).
 */
const tally = { attempts: 0, leaks: 0, failuresToRefuse: 0, byKind: new Map<string, number>() };

/** Records one attempt; `refused` and `leaked` say how it went. Assertions follow at the caller. */
function attempt(kind: string, outcome: { refused: boolean; leaked?: boolean }): void {
  tally.attempts += 1;
  tally.byKind.set(kind, (tally.byKind.get(kind) ?? 0) + 1);
  if (!outcome.refused) tally.failuresToRefuse += 1;
  if (outcome.leaked) tally.leaks += 1;
}

afterAll(() => {
  const kinds = [...tally.byKind].map(([kind, n]) => `${kind} ${n}`).join(', ');
  process.stdout.write(
    `\nattack suite: ${tally.attempts} attempts, ${tally.leaks} leaks, ${tally.failuresToRefuse} failures to refuse (${kinds})\n`,
  );
});

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const key = (r: { method: string; route: string }) => `${r.method} ${r.route}`;

const table = await readAdminRouteTable();
const scenarios: RouteScenario[] = [];
for (const file of readdirSync(new URL('../admin-scenarios/', import.meta.url))
  .filter((name) => name.endsWith('.ts') && name !== 'types.ts')
  .sort()) {
  const module = (await import(`../admin-scenarios/${file}`)) as { scenarios?: RouteScenario[] };
  scenarios.push(...(module.scenarios ?? []));
}
const scenarioOf = new Map(scenarios.map((s) => [key(s), s]));
const tenantRoutes = table.routes.filter((r) => (r.rule === 'tenant:viewer' || r.rule === 'tenant:admin') && scenarioOf.has(key(r)));
const operatorRoutes = table.routes.filter((r) => r.rule === 'operator' && scenarioOf.has(key(r)));

describe('cross-tenant attempts over every tenant route of the route table', () => {
  it('covers the tenant routes (the table is read from the built app)', () => {
    expect(tenantRoutes.length).toBeGreaterThan(20);
    expect(table.routes.filter((r) => r.rule?.startsWith('tenant:') && !scenarioOf.has(key(r))).map(key)).toEqual([]);
  });

  it.each(tenantRoutes.map((r) => ({ name: key(r), route: r })))(
    "$name: another tenant's admin reaches nothing of this tenant",
    async ({ route }) => {
      const victim = await newTenant();
      const attacker = await newTenant();
      const ctx: ScenarioContext = {
        apiUrl: inject('apiUrl'),
        tenantId: victim.tenantId,
        apiKey: victim.apiKey,
        password: `attack-${randomUUID()}`,
      };
      const prepared = await scenarioOf.get(key(route))!.prepare(ctx);
      const token = await tenantAdminToken(attacker.tenantId);
      const answer = await adminRequest(route.method, prepared.path, {
        token,
        body: prepared.body,
        ...(prepared.headers ? { headers: prepared.headers } : {}),
      });
      const pathIds = prepared.path.match(UUID) ?? [];
      const victimIds = new Set(
        [victim.tenantId, victim.apiKey, ...pathIds, ...(JSON.stringify(prepared.body ?? null).match(UUID) ?? [])].map((id) =>
          id.toLowerCase(),
        ),
      );
      const leaked = [...victimIds].filter((id) => answer.text.toLowerCase().includes(id));
      // A resource of the victim named in the path is 404; a call without one acts on the attacker's own tenant.
      const refused = pathIds.length > 0 ? answer.status === 404 : answer.status < 500;
      attempt('cross-tenant route', { refused, leaked: leaked.length > 0 });
      expect(leaked, `${key(route)} answered ${answer.status}: ${answer.text.slice(0, 300)}`).toEqual([]);
      expect(refused, `${key(route)} answered ${answer.status}: ${answer.text.slice(0, 300)}`).toBe(true);
    },
  );

  it.each(operatorRoutes.map((r) => ({ name: key(r), route: r })))('$name: a tenant admin is refused (403)', async ({ route }) => {
    const tenant = await newTenant();
    const ctx: ScenarioContext = {
      apiUrl: inject('apiUrl'),
      tenantId: tenant.tenantId,
      apiKey: tenant.apiKey,
      password: `attack-${randomUUID()}`,
    };
    const prepared = await scenarioOf.get(key(route))!.prepare(ctx);
    const answer = await adminRequest(route.method, prepared.path, { token: await tenantAdminToken(tenant.tenantId), body: prepared.body });
    attempt('operator route as tenant admin', { refused: answer.status === 403 });
    expect(answer.status, answer.text.slice(0, 300)).toBe(403);
  });

  it("reads another tenant's event status with an API key: 404, nothing shown", async () => {
    const [victim, attacker] = await Promise.all([newTenant(), newTenant()]);
    const eventId = `evt-${randomUUID()}`;
    expect((await trigger(victim.apiKey, event({ eventId }))).status).toBe(200);
    await pollUntil(() => fetch(`${inject('apiUrl')}/api/v1/events/${eventId}`, { headers: { 'x-api-key': victim.apiKey } }), {
      until: (r) => r.status === 200,
      timeoutMs: 60_000,
      what: 'the event processed',
    });
    const answer = await fetch(`${inject('apiUrl')}/api/v1/events/${eventId}`, { headers: { 'x-api-key': attacker.apiKey } });
    attempt('cross-tenant API key read', { refused: answer.status === 404, leaked: (await answer.text()).includes(victim.tenantId) });
    expect(answer.status).toBe(404);
  });
});

describe('Centrifugo with another tenant’s realtime token', () => {
  const clients: { disconnect(): void }[] = [];
  afterAll(() => clients.forEach((client) => client.disconnect()));

  it("cannot subscribe to another tenant's channel of the same userId, nor another user's", async () => {
    const [victim, attacker] = await Promise.all([newTenant(), newTenant()]);
    const [mine, theirs] = await Promise.all([
      mintRealtimeToken(attacker.apiKey, { userId: 'same-user' }),
      mintRealtimeToken(victim.apiKey, { userId: 'same-user' }),
    ]);
    const targets = [
      theirs.body.channels[0]!,
      userChannel(GLOBAL_NAMESPACE, decodeJwt(theirs.body.token).sub!),
      userChannel(GLOBAL_NAMESPACE, realtimeSubject(victim.tenantId, 'same-user')),
    ];
    const client = centrifugeClient(mine.body.token);
    clients.push(client);
    client.connect();
    expect(await subscribeOutcome(client.newSubscription(mine.body.channels[0]!))).toEqual({ subscribed: true });
    for (const channel of [...new Set(targets)]) {
      const outcome = await subscribeOutcome(client.newSubscription(channel));
      attempt('centrifugo channel', { refused: !outcome.subscribed });
      expect(outcome, channel).toMatchObject({ subscribed: false });
    }
  });

  it("cannot connect as the other tenant's user with a token of another audience or an expired one", async () => {
    const victim = await newTenant();
    const sub = realtimeSubject(victim.tenantId, 'same-user');
    for (const token of [
      await handMadeToken({ sub }, { audience: 'someone-else' }),
      await handMadeToken({ sub }, { expiresIn: Math.floor(Date.now() / 1000) - 60 }),
    ]) {
      const client = centrifugeClient(token);
      clients.push(client);
      const outcome = new Promise<{ code: number }>((resolve) => client.once('disconnected', (ctx) => resolve(ctx)));
      client.connect();
      const { code } = await outcome;
      // 3500: invalid token (Centrifugo); 1: unauthorized (the client's code for an expired token it cannot refresh).
      const refused = code === 1 || code >= 3500;
      attempt('centrifugo connection', { refused });
      expect(refused, `disconnect code ${code}`).toBe(true);
    }
  });
});

describe('SQL as the app role', () => {
  const tenantTables = async () =>
    (
      await testDatabase().pool.query<{ table: string }>(
        `SELECT c.table_name AS table FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
          WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id' AND t.table_type = 'BASE TABLE' ORDER BY 1`,
      )
    ).rows.map((r) => r.table);

  it("reads no tenant's rows without a tenant context, and none of another tenant's with its own context", async () => {
    const [victim, attacker] = await Promise.all([newTenant(), newTenant()]);
    await seedLog(victim.tenantId, { status: 'FAILED', deadLetter: true, attempts: [{ outcome: 'permanent', errorCode: 'VENDOR_4XX' }] });
    await newProviderConfig(victim.tenantId);
    await newTenantAdmin(victim.tenantId);
    const tables = [...(await tenantTables()), 'tenants'];
    expect(tables.length).toBeGreaterThan(10);
    for (const table of tables) {
      const column = table === 'tenants' ? 'id' : 'tenant_id';
      const client = await testDatabase().pool.connect();
      try {
        // No context at all: RLS answers nothing.
        const bare = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}" WHERE "${column}" = $1`, [
          victim.tenantId,
        ]);
        attempt('sql without context', { refused: bare.rows[0]!.n === 0, leaked: bare.rows[0]!.n > 0 });
        expect(bare.rows[0]!.n, `${table} without context`).toBe(0);
      } finally {
        client.release();
      }
      // The attacker's own context: the victim's rows are invisible and cannot be deleted.
      const context = { tenantId: attacker.tenantId, actorType: 'tenant_admin' as const, actorId: randomUUID() };
      const seen = await withTenant(testDatabase(), context, async (tx) => {
        const { rows } = await sql<{
          n: number;
        }>`SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE ${sql.ref(column)} = ${victim.tenantId}`.execute(tx.db);
        return rows[0]!.n;
      });
      const changed = await withTenant(testDatabase(), context, async (tx) => {
        const result = await sql`DELETE FROM ${sql.table(table)} WHERE ${sql.ref(column)} = ${victim.tenantId}`.execute(tx.db);
        return Number(result.numAffectedRows ?? 0n);
      }).catch((error: unknown) => {
        // A refused statement (no privilege: append-only tables) is a refusal too.
        if ((error as { code?: string }).code === '42501') return 0;
        throw error;
      });
      attempt('sql with another tenant context', { refused: seen === 0 && changed === 0, leaked: seen > 0 });
      expect({ table, seen, changed }).toEqual({ table, seen: 0, changed: 0 });
    }
  });
});

describe('token and signature tampering', () => {
  const secret = () => new TextEncoder().encode(stackEnv().raw.ADMIN_JWT_SECRET ?? '');
  const providers = (token: string) => adminCall(token, 'GET', '/api/v1/tenant/providers');
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  it('refuses forged, altered, expired and unsigned admin tokens (401)', async () => {
    const [victim, attacker] = await Promise.all([newTenant(), newTenant()]);
    const genuine = await tenantAdminToken(attacker.tenantId);
    const [header, payload, signature] = genuine.split('.') as [string, string, string];
    const claims = decodeJwt(genuine);
    const base = () =>
      new SignJWT({ typ: 'tenant_admin', role: 'admin', tid: victim.tenantId, fam: randomUUID(), mcp: false })
        .setSubject(randomUUID())
        .setIssuer('orqestra')
        .setAudience('orqestra-admin');
    const forged: [string, string][] = [
      ['another tenant in the payload, old signature', `${header}.${b64({ ...claims, tid: victim.tenantId })}.${signature}`],
      [
        'operator role in the payload, old signature',
        `${header}.${b64({ ...claims, typ: 'operator', role: 'platform_operator', tid: null })}.${signature}`,
      ],
      ['alg none', `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, tid: victim.tenantId })}.`],
      [
        'signed with another secret',
        await base()
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode(`not-the-secret-${randomUUID()}`)),
      ],
      [
        'expired',
        await base()
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
          .setExpirationTime(Math.floor(Date.now() / 1000) - 1800)
          .sign(secret()),
      ],
      [
        'wrong audience',
        await base()
          .setAudience('orqestra-realtime')
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(secret()),
      ],
      ['HS512 instead of HS256', await base().setProtectedHeader({ alg: 'HS512' }).setIssuedAt().setExpirationTime('5m').sign(secret())],
      ['truncated signature', `${header}.${payload}.${signature.slice(0, -4)}`],
      ['garbage', 'not-a-jwt'],
    ];
    for (const [what, token] of forged) {
      const answer = await providers(token);
      attempt('admin token tampering', { refused: answer.status === 401, leaked: answer.text.includes(victim.tenantId) });
      expect([what, answer.status]).toEqual([what, 401]);
    }
    expect((await providers(genuine)).status).toBe(200);
  });

  it('refuses a tenant admin token on the operator realm and an operator token on the tenant realm', async () => {
    const tenant = await newTenant();
    const checks: [string, AdminResponse][] = [
      ['tenant token on /admin/auth/me', await adminCall(await tenantAdminToken(tenant.tenantId), 'GET', '/api/v1/admin/auth/me')],
      ['tenant token on /admin/tenants', await adminCall(await tenantAdminToken(tenant.tenantId), 'GET', '/api/v1/admin/tenants')],
      ['operator token on /tenant/auth/me', await adminCall(await operatorToken(), 'GET', '/api/v1/tenant/auth/me')],
    ];
    for (const [what, answer] of checks) {
      attempt('realm confusion', { refused: answer.status === 403 });
      expect([what, answer.status]).toEqual([what, 403]);
    }
  });

  it('refuses a trigger whose signature does not match its body, and an unknown API key', async () => {
    const tenant = await newTenant();
    const body = JSON.stringify(event());
    const send = (headers: Record<string, string>) =>
      fetch(`${inject('apiUrl')}/api/v1/events/trigger`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
    const secret = await setWebhookSecret(tenant.tenantId);
    const checks: [string, Response][] = [
      [
        'no signature',
        await pollUntil(() => send({ 'x-api-key': tenant.apiKey }), {
          until: (r) => r.status === 401,
          timeoutMs: 10_000,
          what: 'signatures required',
        }),
      ],
      ['a made-up signature', await send({ 'x-api-key': tenant.apiKey, 'x-orqestra-signature': '0'.repeat(64) })],
      [
        'the signature of another body',
        await send({
          'x-api-key': tenant.apiKey,
          'x-orqestra-signature': sign(secret, JSON.stringify({ ...(JSON.parse(body) as object), userId: 'someone-else' })),
        }),
      ],
      [
        "another secret's signature",
        await send({ 'x-api-key': tenant.apiKey, 'x-orqestra-signature': sign(`whsec_${randomUUID()}`, body) }),
      ],
      ['an unknown key', await send({ 'x-api-key': `oq_live_${randomUUID().replaceAll('-', '')}` })],
    ];
    for (const [what, answer] of checks) {
      attempt('signature and key tampering', { refused: answer.status === 401 });
      expect([what, answer.status]).toEqual([what, 401]);
    }
    // The genuine signature is accepted: the refusals above were about the signature.
    expect((await send({ 'x-api-key': tenant.apiKey, 'x-orqestra-signature': sign(secret, body) })).status).toBe(200);
  });
});

describe('login races', () => {
  it('40 concurrent wrong passwords for one email are mostly refused with 429 before any password is checked', async () => {
    const tenant = await newTenant();
    const admin = await newTenantAdmin(tenant.tenantId);
    const results = await Promise.all(
      Array.from({ length: 40 }, () =>
        adminRequest('POST', '/api/v1/tenant/auth/login', { body: { email: admin.login, password: `wrong-${randomUUID()}` } }),
      ),
    );
    const checked = results.filter((r) => r.status !== 429).length;
    for (const result of results) attempt('login race', { refused: result.status === 429 || result.status === 401 });
    // The free attempts (5 by default) are checked; a lock that ends while the burst is still arriving on a
    // busy machine lets one more through each time, and doubles. Without the atomic claim all 40 are checked.
    expect(checked, results.map((r) => r.status).join(',')).toBeLessThanOrEqual(10);
    expect(results.every((r) => r.status === 401 || r.status === 429)).toBe(true);
  });

  it('an operator burst of 30 with the right password last does not sign in past the limit', async () => {
    const operator = await newOperator();
    const guesses = [...Array.from({ length: 29 }, () => `wrong-${randomUUID()}`), operator.password];
    const results = await Promise.all(
      guesses.map((password) => adminRequest('POST', '/api/v1/admin/auth/login', { body: { username: operator.login, password } })),
    );
    const checked = results.filter((r) => r.status !== 429).length;
    attempt('login race', { refused: checked <= 10 });
    expect(checked, results.map((r) => r.status).join(',')).toBeLessThanOrEqual(10);
  });
});

describe('a suspended tenant', () => {
  it('is refused on the API key and on the admin token it already holds, within 5 s', async () => {
    const tenant = await newTenant();
    const token = await tenantAdminToken(tenant.tenantId);
    expect((await adminCall(token, 'GET', '/api/v1/tenant/providers')).status).toBe(200);
    expect((await adminCall(await operatorToken(), 'POST', `/api/v1/admin/tenants/${tenant.tenantId}/suspend`)).status).toBe(200);
    const admin = await pollUntil(() => adminCall(token, 'GET', '/api/v1/tenant/providers'), {
      until: (r) => r.status === 403,
      timeoutMs: 5_000,
      what: 'the admin token refused',
    });
    const sandbox = await adminCall(token, 'POST', '/api/v1/tenant/sandbox/sessions', {});
    const key = await pollUntil(() => trigger(tenant.apiKey, event()), {
      until: (r) => r.status === 403,
      timeoutMs: 5_000,
      what: 'the API key refused',
    });
    for (const answer of [admin, sandbox, key]) {
      attempt('suspended tenant', { refused: answer.status === 403 });
      expect(answer.body.error?.code).toBe('TENANT_SUSPENDED');
    }
  });
});

describe('SSRF through provider base URLs (development flag off)', () => {
  const addresses = [
    'https://[::127.0.0.1]',
    'https://[::a9fe:a9fe]',
    'https://[::ffff:0:7f00:1]',
    'https://[2002:7f00:1::]',
    'https://[2002:a9fe:a9fe::]',
    'https://[64:ff9b:1::7f00:1]',
    'https://127.0.0.1',
    'https://169.254.169.254/latest',
    'https://[::1]',
    'https://[::ffff:127.0.0.1]',
    'https://10.0.0.1',
    'https://localhost',
  ];

  it.each(addresses)('the operator override %s is refused (422)', async (baseUrl) => {
    const tenant = await newTenant();
    const provider = await newProviderConfig(tenant.tenantId);
    const answer = await adminCall(
      await operatorToken(),
      'PUT',
      `/api/v1/admin/tenants/${tenant.tenantId}/providers/${provider}/base-url`,
      { baseUrl },
    );
    attempt('ssrf base url', { refused: answer.status === 422 });
    expect([answer.status, answer.body.error?.details?.[0]?.path], answer.text.slice(0, 300)).toEqual([422, 'baseUrl']);
  });

  it('an SMTP host ::127.0.0.1 is refused (422)', async () => {
    const tenant = await newTenant();
    const answer = await adminCall(await tenantAdminToken(tenant.tenantId), 'POST', '/api/v1/tenant/providers', {
      channel: 'EMAIL',
      provider: 'smtp',
      credentials: { host: '::127.0.0.1', port: 25, tls: 'none', fromAddress: 'a@shop.example' },
    });
    attempt('ssrf smtp host', { refused: answer.status === 422 });
    expect(answer.status, answer.text.slice(0, 300)).toBe(422);
  });
});

describe('the tally', () => {
  it('counts no leak and no failure to refuse', () => {
    expect(tally.attempts).toBeGreaterThan(0);
    expect({ leaks: tally.leaks, failuresToRefuse: tally.failuresToRefuse }).toEqual({ leaks: 0, failuresToRefuse: 0 });
  });
});
