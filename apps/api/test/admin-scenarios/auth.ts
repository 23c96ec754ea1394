import { newOperator, newTenantAdmin, type TestPerson } from '../admin-fixtures.js';
import type { PreparedRequest, RouteScenario, ScenarioContext } from './types.js';

/**
 * Admin sign-in (features/auth). login, refresh and logout are `public` (they carry their
 * own checks: password, refresh cookie + CSRF header); me and change-password are `session`.
 * The session routes audit session events (auth.login, auth.logout, ...) of the person named in
 * the request rather than of the caller, so they are listed in SESSION_ROUTES of
 * admin-routes.int.spec.ts instead of declaring an auditAction; change-password is audited as the caller.
 */
type Realm = 'admin' | 'tenant';

const person = (realm: Realm, ctx: ScenarioContext): Promise<TestPerson> =>
  realm === 'admin' ? newOperator() : newTenantAdmin(ctx.tenantId);

const loginBody = (realm: Realm, who: TestPerson) =>
  realm === 'admin' ? { username: who.login, password: who.password } : { email: who.login, password: who.password };

/** Signs a fresh person in and returns the request headers that carry their refresh cookie and the CSRF header. */
async function withSession(realm: Realm, ctx: ScenarioContext): Promise<Record<string, string>> {
  const response = await fetch(`${ctx.apiUrl}/api/v1/${realm}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(loginBody(realm, await person(realm, ctx))),
  });
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('orqestra_refresh='));
  if (response.status !== 200 || !cookie)
    throw new Error(`login for the ${realm} scenario answered ${response.status}: ${await response.text()}`);
  return { cookie: cookie.split(';')[0]!, 'x-orqestra-csrf': '1' };
}

function realmScenarios(realm: Realm): RouteScenario[] {
  const base = `/api/v1/${realm}/auth`;
  const prepareSession = async (ctx: ScenarioContext, path: string): Promise<PreparedRequest> => ({
    path,
    headers: await withSession(realm, ctx),
  });
  return [
    {
      method: 'POST',
      route: `${base}/login`,
      prepare: async (ctx) => ({ path: `${base}/login`, body: loginBody(realm, await person(realm, ctx)) }),
    },
    { method: 'POST', route: `${base}/refresh`, prepare: (ctx) => prepareSession(ctx, `${base}/refresh`) },
    { method: 'POST', route: `${base}/logout`, prepare: (ctx) => prepareSession(ctx, `${base}/logout`) },
    { method: 'GET', route: `${base}/me`, prepare: async () => ({ path: `${base}/me` }) },
    {
      method: 'POST',
      route: `${base}/change-password`,
      prepare: async (ctx) => ({
        path: `${base}/change-password`,
        body: { currentPassword: ctx.password, newPassword: `${ctx.password}-changed` },
      }),
      auditAction: 'auth.password_change',
    },
  ];
}

export const scenarios: RouteScenario[] = [...realmScenarios('admin'), ...realmScenarios('tenant')];
