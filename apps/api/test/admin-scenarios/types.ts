/**
 * How the generated admin-route tests (authorisation matrix, audit per mutating route) call a
 * route successfully. Each feature exports a `RouteScenario[]` from a file in this folder; a
 * route registered under /api/v1/admin or /api/v1/tenant without a scenario fails those tests.
 */
export interface ScenarioContext {
  apiUrl: string;
  /** A fresh tenant (with a live API key) that the caller administers. */
  tenantId: string;
  apiKey: string;
}

export interface PreparedRequest {
  /** Concrete path with parameters filled in, e.g. /api/v1/tenant/providers/3f2c... */
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteScenario {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The route as registered, with :params, e.g. /api/v1/tenant/providers/:id */
  route: string;
  /** Creates what the call needs inside ctx.tenantId and returns a request that succeeds (2xx) for an allowed caller. */
  prepare(ctx: ScenarioContext): Promise<PreparedRequest>;
  /** The audit action a successful call writes; required for every POST/PUT/PATCH/DELETE except sessions' own routes. */
  auditAction?: string;
}
