'use client';

import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { realmBase, toResult, type ApiError, type ApiResult, type Realm } from './api';

export interface SessionUser {
  id: string;
  type: 'platform_operator' | 'tenant_admin' | string;
  role: string;
  tenantId?: string;
  tenantName?: string;
  email?: string;
  username?: string;
}

type Status = 'loading' | 'signed-out' | 'signed-in' | 'expired';

interface TokenAnswer {
  accessToken: string;
  expiresAt: string;
  mustChangePassword?: boolean;
  user?: SessionUser;
}

export interface CallOptions {
  method?: string;
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined | null>;
}

export type DownloadResult = { ok: true; blob: Blob; headers: Headers } | { ok: false; status: number; error: ApiError };

interface SessionContextValue {
  status: Status;
  realm: Realm | null;
  user: SessionUser | null;
  mustChangePassword: boolean;
  /** Calls `/api/v1/<realm><path>` with the in-memory access token; refreshes it once on 401. */
  call<T>(path: string, options?: CallOptions): Promise<ApiResult<T>>;
  /** Like `call`, for an answer that is a file (a CSV export): its bytes and headers, or the API's error. */
  download(path: string, options?: CallOptions): Promise<DownloadResult>;
  signIn(realm: Realm, login: string, password: string): Promise<ApiResult<TokenAnswer>>;
  signOut(): Promise<void>;
  changePassword(currentPassword: string, newPassword: string): Promise<ApiResult<TokenAnswer>>;
  /** Starts the session of a realm from the refresh cookie (after a reload the token is gone from memory). */
  resume(realm: Realm): Promise<boolean>;
}

const SessionContext = createContext<SessionContextValue | null>(null);
const CSRF = { 'x-orqestra-csrf': '1' };
/** The background refresh runs this long before the access token expires ... */
const REFRESH_AHEAD_MS = 60_000;
/** ... if that moment is at least this far away. */
const REFRESH_AHEAD_MIN_MS = 30_000;

export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<Status>('loading');
  const [realm, setRealm] = useState<Realm | null>(null);
  const [user, setUser] = useState<SessionUser | null>(null);
  const [mustChangePassword, setMustChange] = useState(false);
  // The access token lives in memory only: never in storage, never in a cookie script can read.
  const token = useRef<string | null>(null);
  const realmRef = useRef<Realm | null>(null);
  const refreshing = useRef<Promise<boolean> | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const adopt = useCallback((r: Realm, answer: TokenAnswer) => {
    token.current = answer.accessToken;
    realmRef.current = r;
    setRealm(r);
    setMustChange(answer.mustChangePassword === true);
    if (answer.user) setUser(answer.user);
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    // Silent refresh a minute before the token expires, when that is at least REFRESH_AHEAD_MIN_MS away;
    // in any case the first call after the token expired refreshes it (401 → refresh → the call again),
    // as after a laptop's sleep, when no timer ran. A token that lives less than that (a short
    // ADMIN_ACCESS_TOKEN_SECONDS, or a browser clock far ahead of the API's) gets no timer: it would
    // refresh every few seconds for as long as the tab stays open.
    const due = new Date(answer.expiresAt).getTime() - Date.now() - REFRESH_AHEAD_MS;
    if (Number.isFinite(due) && due >= REFRESH_AHEAD_MIN_MS) timer.current = setTimeout(() => void refresh(), due);
  }, []);

  const refresh = useCallback((): Promise<boolean> => {
    const r = realmRef.current;
    if (!r) return Promise.resolve(false);
    // One refresh at a time: a spent refresh token presented twice ends the whole session.
    refreshing.current ??= (async () => {
      const result = await toResult<TokenAnswer>(
        await fetch(`${realmBase(r)}/auth/refresh`, { method: 'POST', headers: CSRF, credentials: 'same-origin' }),
      );
      const answer = result.ok ? ((result.data ?? result.body) as TokenAnswer) : null;
      if (answer?.accessToken) {
        adopt(r, answer);
        return true;
      }
      return false;
    })().finally(() => {
      refreshing.current = null;
    });
    return refreshing.current;
  }, [adopt]);

  const rawCall = useCallback(async (path: string, options: CallOptions = {}): Promise<Response> => {
    const r = realmRef.current ?? 'tenant';
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined && v !== null && v !== '') query.set(k, String(v));
    const qs = query.toString();
    const headers: Record<string, string> = {};
    if (token.current) headers.authorization = `Bearer ${token.current}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    return fetch(`${realmBase(r)}${path}${qs ? `?${qs}` : ''}`, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
    });
  }, []);

  /** A call, and once more with a new token when the API refused this one as expired or ended (401). */
  const authedCall = useCallback(
    async (path: string, options: CallOptions = {}): Promise<Response> => {
      const response = await rawCall(path, options);
      if (response.status !== 401 || !token.current) return response;
      const refused = await toResult<unknown>(response.clone());
      if (refused.ok || refused.error.code !== 'UNAUTHENTICATED') return response;
      if (await refresh()) return rawCall(path, options);
      token.current = null;
      setStatus('expired');
      return response;
    },
    [rawCall, refresh],
  );

  const call = useCallback(
    async <T,>(path: string, options: CallOptions = {}): Promise<ApiResult<T>> => toResult<T>(await authedCall(path, options)),
    [authedCall],
  );

  const download = useCallback(
    async (path: string, options: CallOptions = {}): Promise<DownloadResult> => {
      const response = await authedCall(path, options);
      if (!response.ok) {
        const failed = await toResult<unknown>(response);
        return {
          ok: false,
          status: response.status,
          error: failed.ok ? { code: `HTTP_${response.status}`, message: 'Unexpected answer', status: response.status } : failed.error,
        };
      }
      return { ok: true, blob: await response.blob(), headers: response.headers };
    },
    [authedCall],
  );

  const loadMe = useCallback(async (): Promise<boolean> => {
    const me = await toResult<SessionUser>(await rawCall('/auth/me'));
    if (!me.ok) return false;
    const body = me.body as { data?: SessionUser; user?: SessionUser };
    setUser(body.data && 'id' in body.data ? body.data : (body.user ?? null));
    setStatus('signed-in');
    return true;
  }, [rawCall]);

  const resume = useCallback(
    async (r: Realm): Promise<boolean> => {
      if (token.current && realmRef.current === r) return true;
      realmRef.current = r;
      setRealm(r);
      const ok = (await refresh()) && (await loadMe());
      if (!ok) {
        token.current = null;
        setStatus((s) => (s === 'expired' ? s : 'signed-out'));
      }
      return ok;
    },
    [refresh, loadMe],
  );

  const signIn = useCallback(
    async (r: Realm, login: string, password: string) => {
      realmRef.current = r;
      const body = r === 'admin' ? { username: login, password } : { email: login, password };
      const result = await toResult<TokenAnswer>(
        await fetch(`${realmBase(r)}/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
          credentials: 'same-origin',
        }),
      );
      if (result.ok) {
        const answer = (result.data ?? result.body) as TokenAnswer;
        adopt(r, answer);
        if (!answer.user) await loadMe();
        setStatus('signed-in');
      }
      return result;
    },
    [adopt, loadMe],
  );

  const signOut = useCallback(async () => {
    const r = realmRef.current;
    if (r) {
      const headers: Record<string, string> = { ...CSRF };
      if (token.current) headers.authorization = `Bearer ${token.current}`;
      await fetch(`${realmBase(r)}/auth/logout`, { method: 'POST', headers, credentials: 'same-origin' }).catch(() => undefined);
    }
    if (timer.current) clearTimeout(timer.current);
    token.current = null;
    setUser(null);
    setStatus('signed-out');
  }, []);

  const changePassword = useCallback(
    async (currentPassword: string, newPassword: string) => {
      const result = await call<TokenAnswer>('/auth/change-password', { method: 'POST', body: { currentPassword, newPassword } });
      if (result.ok) {
        const answer = (result.data ?? result.body) as TokenAnswer;
        if (answer.accessToken && realmRef.current) adopt(realmRef.current, { ...answer, mustChangePassword: false });
        setMustChange(false);
      }
      return result;
    },
    [call, adopt],
  );

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const value = useMemo<SessionContextValue>(
    () => ({ status, realm, user, mustChangePassword, call, download, signIn, signOut, changePassword, resume }),
    [status, realm, user, mustChangePassword, call, download, signIn, signOut, changePassword, resume],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
