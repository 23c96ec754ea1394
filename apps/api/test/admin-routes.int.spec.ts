import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { allows, type AccessRule, type Principal } from '../dist/platform/auth/access.js';
import { adminRequest, auditEntries, newOperator, newTenantAdmin, type TestPerson } from './admin-fixtures.js';
import { readAdminRouteTable, type AdminRoute } from './admin-route-table.js';
import type { RouteScenario, ScenarioContext } from './admin-scenarios/types.js';
import { adminToken, newTenant } from './fixtures.js';

/**
 * Generated from the route table of the API as it is built: every route under /api/v1/admin and
 * /api/v1/tenant must declare who may call it (@Access, behind AccessGuard), have a scenario in
 * test/admin-scenarios/*.ts that calls it successfully, answer each kind of caller as its rule
 * says, and write its audit entry when it changes something (or, like an export, is audited
 * although it only reads). A route added later without any
 * of that fails here, by name.
 */
const table = await readAdminRouteTable();

const scenarios: RouteScenario[] = [];
for (const file of readdirSync(new URL('./admin-scenarios/', import.meta.url))
  .filter((name) => name.endsWith('.ts') && name !== 'types.ts')
  .sort()) {
  const module = (await import(`./admin-scenarios/${file}`)) as { scenarios?: RouteScenario[] };
  if (!Array.isArray(module.scenarios)) throw new Error(`test/admin-scenarios/${file} must export const scenarios: RouteScenario[]`);
  scenarios.push(...module.scenarios);
}
const key = (r: { method: string; route: string }) => `${r.method} ${r.route}`;
const scenarioOf = new Map(scenarios.map((s) => [key(s), s]));

/**
 * Sign-in routes: they audit session events (auth.login, auth.logout, auth.refresh_reuse) of the
 * person named by the credentials or cookie, not an action of the caller, so they declare no
 * auditAction (admin-auth.int.spec.ts asserts those entries).
 */
const SESSION_ROUTES = new Set(
  ['admin', 'tenant'].flatMap((realm) => ['login', 'refresh', 'logout'].map((name) => `POST /api/v1/${realm}/auth/${name}`)),
);
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

describe('the admin route table', () => {
  it('lists the sign-in routes of both realms (the table is read from the built app)', () => {
    expect(table.routes.map(key)).toEqual(
      expect.arrayContaining([...SESSION_ROUTES, 'GET /api/v1/tenant/auth/me', 'POST /api/v1/admin/auth/change-password']),
    );
  });

  it('has every route Fastify registered under /api/v1/admin and /api/v1/tenant coming from a Nest controller', () => {
    expect(table.registered.filter((route) => !table.routes.some((r) => key(r) === route))).toEqual([]);
  });

  it('declares an @Access rule on every route, behind AccessGuard', () => {
    expect(table.routes.filter((r) => !r.rule).map((r) => `${key(r)} (${r.handler}) has no @Access rule`)).toEqual([]);
    expect(table.routes.filter((r) => !r.guarded).map((r) => `${key(r)} (${r.handler}) is not behind AccessGuard`)).toEqual([]);
  });

  it('has a scenario in test/admin-scenarios for every route, and none for a route that does not exist', () => {
    expect(
      table.routes
        .filter((r) => !scenarioOf.has(key(r)))
        .map((r) => `${key(r)} (${r.handler}) has no RouteScenario in test/admin-scenarios/*.ts`),
    ).toEqual([]);
    expect(
      scenarios
        .filter((s) => !table.routes.some((r) => key(r) === key(s)))
        .map((s) => `scenario for ${key(s)}, which is not a registered route`),
    ).toEqual([]);
  });

  it('describes every route in the OpenAPI document, with the adminBearer scheme unless it is public', async () => {
    const document = (await (await fetch(`${inject('apiUrl')}/api/docs.json`)).json()) as {
      paths: Record<string, Record<string, { security?: Record<string, string[]>[] }>>;
      components: { securitySchemes?: Record<string, unknown> };
    };
    expect(document.components.securitySchemes?.adminBearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const problems = table.routes.flatMap((r) => {
      const operation = document.paths[r.route.replace(/:(\w+)/g, '{$1}')]?.[r.method.toLowerCase()];
      if (!operation) return [`${key(r)} is not in /api/docs.json`];
      const bearer = (operation.security ?? []).some((s) => 'adminBearer' in s);
      return r.rule !== 'public' && !bearer ? [`${key(r)} is documented without security: [{adminBearer: []}]`] : [];
    });
    expect(problems).toEqual([]);
  });

  it('names the audit entry of every mutating route (sign-in routes excepted)', () => {
    const missing = table.routes.filter(
      (r) => MUTATING.has(r.method) && !SESSION_ROUTES.has(key(r)) && scenarioOf.has(key(r)) && !scenarioOf.get(key(r))!.auditAction,
    );
    expect(missing.map((r) => `${key(r)} changes something but its scenario names no auditAction`)).toEqual([]);
  });
});

type CallerName = 'anonymous' | 'viewer' | 'admin of another tenant' | 'admin' | 'operator';
interface Caller {
  name: CallerName;
  person?: TestPerson;
  principal?: Principal;
  token?: string;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

async function callers(ctx: ScenarioContext, rule: AccessRule): Promise<Caller[]> {
  const other = await newTenant();
  const people: [CallerName, TestPerson][] = [
    ['viewer', await newTenantAdmin(ctx.tenantId, { role: 'viewer', password: ctx.password })],
    ['admin of another tenant', await newTenantAdmin(other.tenantId, { password: ctx.password })],
    ['admin', await newTenantAdmin(ctx.tenantId, { password: ctx.password })],
    ['operator', await newOperator({ password: ctx.password })],
  ];
  const signedIn = await Promise.all(
    people.map(async ([name, person]): Promise<Caller> => {
      const principal: Principal = {
        subjectType: person.role === 'platform_operator' ? 'operator' : 'tenant_admin',
        subjectId: person.id,
        role: person.role,
        tenantId: person.tenantId,
        sessionFamilyId: randomUUID(),
        mustChangePassword: false,
      };
      return { name, person, principal, token: await adminToken({ role: person.role, tenantId: person.tenantId, subjectId: person.id }) };
    }),
  );
  // Refusals first, so that an allowed call that consumes something cannot hide one.
  const all: Caller[] = [{ name: 'anonymous' }, ...signedIn];
  return all.sort((a, b) => Number(allows(rule, a.principal)) - Number(allows(rule, b.principal)));
}

async function send(ctx: ScenarioContext, scenario: RouteScenario, caller: Caller) {
  const prepared = await scenario.prepare(ctx);
  const response = await adminRequest(scenario.method, prepared.path, {
    apiUrl: ctx.apiUrl,
    body: prepared.body,
    ...(caller.token ? { token: caller.token } : {}),
    ...(prepared.headers ? { headers: prepared.headers } : {}),
  });
  return { status: response.status, text: response.text, prepared };
}

const withScenario = table.routes.filter((r): r is AdminRoute & { rule: AccessRule } => scenarioOf.has(key(r)) && r.rule !== undefined);

describe.each(withScenario.map((route) => ({ route, name: `${key(route)} [${route.rule}]` })))('$name', ({ route }) => {
  const scenario = scenarioOf.get(key(route))!;
  const tenantRoute = route.rule === 'tenant:viewer' || route.rule === 'tenant:admin';

  it('answers every kind of caller as its rule says, never shows another tenant its data, and audits each change', async () => {
    const { tenantId, apiKey } = await newTenant();
    const ctx: ScenarioContext = { apiUrl: inject('apiUrl'), tenantId, apiKey, password: `matrix-${randomUUID()}` };
    for (const caller of await callers(ctx, route.rule)) {
      const { status, text, prepared } = await send(ctx, scenario, caller);
      const label = `${key(route)} as ${caller.name} answered ${status}: ${text.slice(0, 300)}`;
      if (!caller.principal) {
        if (route.rule === 'public') expect(status, label).toBeLessThan(300);
        else expect([status, JSON.parse(text).error?.code], label).toEqual([401, 'UNAUTHENTICATED']);
        continue;
      }
      if (!allows(route.rule, caller.principal)) {
        expect([status, JSON.parse(text).error?.code], label).toEqual([403, 'FORBIDDEN']);
        continue;
      }
      if (tenantRoute && caller.name === 'admin of another tenant') {
        // Tenant routes act on the tenant in the token: the other tenant's admin reaches only its own
        // data. A resource of the scenario tenant named in the path is 404 for it; otherwise the call
        // acts on its own tenant (which may lack what the scenario prepared: 409/422 are fine).
        const pathIds = prepared.path.match(UUID) ?? [];
        if (pathIds.length > 0) expect(status, label).toBe(404);
        else expect(status < 500 && status !== 401 && status !== 403, label).toBe(true);
        const scenarioIds = new Set(
          [tenantId, apiKey, ...pathIds, ...(JSON.stringify(prepared.body ?? null).match(UUID) ?? [])].map((id) => id.toLowerCase()),
        );
        expect(
          [...scenarioIds].filter((id) => text.toLowerCase().includes(id)),
          label,
        ).toEqual([]);
        continue;
      }
      expect(status, label).toBeGreaterThanOrEqual(200);
      expect(status, label).toBeLessThan(300);
      // Mutating routes (checked above to name one) and reads that are audited (CSV exports).
      if (scenario.auditAction) {
        const entries = await auditEntries({ action: scenario.auditAction, actorId: caller.person!.id });
        expect(entries.length, `${key(route)} as ${caller.name} should write exactly one ${scenario.auditAction} audit entry`).toBe(1);
      }
    }
  });
});
