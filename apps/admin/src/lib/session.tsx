'use client';

import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { realmBase, toResult, type ApiResult, type Realm } from './api';

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

interface SessionContextValue {
  status: Status;
  realm: Realm | null;
  user: SessionUser | null;
  mustChangePassword: boolean;
  /** Calls `/api/v1/<realm><path>` with the in-memory access token; refreshes it once on 401. */
  call<T>(path: string, options?: CallOptions): Promise<ApiResult<T>>;
  signIn(realm: Realm, login: string, password: string): Promise<ApiResult<TokenAnswer>>;
  signOut(): Promise<void>;
  changePassword(currentPassword: string, newPassword: string): Promise<ApiResult<TokenAnswer>>;
  /** Starts the session of a realm from the refresh cookie (after a reload the token is gone from memory). */
  resume(realm: Realm): Promise<boolean>;
}

const SessionContext = createContext<SessionContextValue | null>(null);
const CSRF = { 'x-orqestra-csrf': '1' };

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
    const due = new Date(answer.expiresAt).getTime() - Date.now() - 60_000;
    // Silent refresh a minute before the token expires (and on any 401 in between).
    if (Number.isFinite(due)) timer.current = setTimeout(() => void refresh(), Math.max(due, 5_000));
  }, []);

  const refresh = useCallback((): Promise<boolean> => {
    const r = realmRef.current;
    if (!r) return Promise.resolve(false);
    // One refresh at a time: a spent refresh token presented twice ends the whole session.
    refreshing.current ??= (async () => {
      const result = await toResult<TokenAnswer>(await fetch(`${realmBase(r)}/auth/refresh`, { method: 'POST', headers: CSRF, credentials: 'same-origin' }));
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

  const call = useCallback(
    async <T,>(path: string, options: CallOptions = {}): Promise<ApiResult<T>> => {
      let result = await toResult<T>(await rawCall(path, options));
      if (!result.ok && result.status === 401 && result.error.code === 'UNAUTHENTICATED' && token.current) {
        if (await refresh()) result = await toResult<T>(await rawCall(path, options));
        else {
          token.current = null;
          setStatus('expired');
        }
      }
      return result;
    },
    [rawCall, refresh],
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
        await fetch(`${realmBase(r)}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), credentials: 'same-origin' }),
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

  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);

  const value = useMemo<SessionContextValue>(
    () => ({ status, realm, user, mustChangePassword, call, signIn, signOut, changePassword, resume }),
    [status, realm, user, mustChangePassword, call, signIn, signOut, changePassword, resume],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
