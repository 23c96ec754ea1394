/** What every API failure carries (SPEC §2.1): a code, a message, field details and the trace id to quote. */
export interface ApiError {
  code: string;
  message: string;
  details?: { path?: string; message: string; line?: number; column?: number }[];
  traceId?: string;
  status: number;
  retryAfterSeconds?: number;
}

export type ApiResult<T> =
  { ok: true; status: number; data: T; body: Record<string, unknown> } | { ok: false; status: number; error: ApiError };

export type Realm = 'admin' | 'tenant';

interface ErrorBody {
  error?: { code?: string; message?: string; details?: ApiError['details'] };
  traceId?: string;
}

export async function toResult<T>(response: Response): Promise<ApiResult<T>> {
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (response.ok) {
    const record = (body ?? {}) as Record<string, unknown>;
    return { ok: true, status: response.status, data: record.data as T, body: record };
  }
  const b = (body ?? {}) as ErrorBody;
  const retryAfter = Number(response.headers.get('retry-after'));
  return {
    ok: false,
    status: response.status,
    error: {
      code: b.error?.code ?? `HTTP_${response.status}`,
      message: b.error?.message ?? 'The API answered without an explanation.',
      details: b.error?.details,
      traceId: b.traceId ?? response.headers.get('x-trace-id') ?? undefined,
      status: response.status,
      retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    },
  };
}

/** One sentence of next step per error code the console meets (detail 4 of ADMIN-UI §6). */
export function nextStep(code: string): string {
  const steps: Record<string, string> = {
    UNAUTHENTICATED: 'Sign in again.',
    INVALID_LOGIN: 'Check the sign-in name and password, then try again.',
    RATE_LIMITED: 'Wait until the time shown has passed, then try again.',
    FORBIDDEN: 'Your role may not do this; ask a tenant admin or an operator.',
    PASSWORD_CHANGE_REQUIRED: 'Choose a new password first.',
    TENANT_SUSPENDED: 'An operator suspended this tenant; ask them to reactivate it.',
    NOT_FOUND: 'It does not exist here: check the id, or whether it belongs to another tenant.',
    CONFLICT: 'Reload the page: something changed in the meantime.',
    VALIDATION_FAILED: 'Correct the fields listed and submit again.',
    TEMPLATE_INVALID: 'Fix the source at the line and column shown.',
    BASE_URL_NOT_ALLOWED: 'Use an https URL whose host resolves to a public address.',
    UNAVAILABLE: 'A service the API needs is down; retry in a moment or check npm run stack:status.',
    REFRESH_TOKEN_INVALID: 'Your session ended; sign in again.',
  };
  return steps[code] ?? 'Retry; if it persists, quote the trace id to your operator.';
}

export function realmBase(realm: Realm): string {
  return realm === 'admin' ? '/api/v1/admin' : '/api/v1/tenant';
}
