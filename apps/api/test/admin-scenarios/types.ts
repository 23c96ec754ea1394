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
  /**
   * The password of every person the generated tests call as (the scenario tenant's admin and
   * viewer, the other tenant's admin, the operator), e.g. for change-password's currentPassword.
   */
  password: string;
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
  /**
   * Creates what the call needs inside ctx.tenantId and returns a request that succeeds (2xx) for an
   * allowed caller. Called afresh before every call of the matrix (one per caller), so a request
   * may consume what it prepared (delete it, use a one-time token).
   */
  prepare(ctx: ScenarioContext): Promise<PreparedRequest>;
  /** The audit action a successful call writes; required for every POST/PUT/PATCH/DELETE except sessions' own routes. */
  auditAction?: string;
}
