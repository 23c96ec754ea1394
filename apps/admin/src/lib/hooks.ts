'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useState } from 'react';
import type { ApiError, ApiResult } from './api';
import { useSession, type CallOptions } from './session';

/** document.title as "<Page> · <Tenant> · Orqestra" (the tests assert it on every page). */
export function useTitle(...parts: (string | undefined | null)[]) {
  const title = [...parts.filter(Boolean), 'Orqestra'].join(' · ');
  useEffect(() => {
    document.title = title;
  }, [title]);
}

/** The URL is the state: filters, tabs and the open row live in the query string. */
export function useUrlState(): [URLSearchParams, (changes: Record<string, string | null | undefined>) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const set = useCallback(
    (changes: Record<string, string | null | undefined>) => {
      const next = new URLSearchParams(params.toString());
      for (const [k, v] of Object.entries(changes)) {
        if (v === null || v === undefined || v === '') next.delete(k);
        else next.set(k, v);
      }
      const qs = next.toString();
      router.push(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [params, router, pathname],
  );
  return [params, set];
}

export interface Loaded<T> {
  data: T | null;
  body: Record<string, unknown> | null;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
}

/** GET a resource whenever the path or query changes; keeps showing the last data while reloading. */
export function useApi<T>(path: string | null, options: CallOptions = {}): Loaded<T> {
  const { call, status } = useSession();
  const [state, setState] = useState<{ data: T | null; body: Record<string, unknown> | null; error: ApiError | null; loading: boolean }>({
    data: null,
    body: null,
    error: null,
    loading: true,
  });
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(options);
  useEffect(() => {
    if (!path || status !== 'signed-in') return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    void call<T>(path, JSON.parse(key) as CallOptions).then((r: ApiResult<T>) => {
      if (!live) return;
      setState(
        r.ok ? { data: r.data, body: r.body, error: null, loading: false } : { data: null, body: null, error: r.error, loading: false },
      );
    });
    return () => {
      live = false;
    };
  }, [path, key, tick, call, status]);
  return { ...state, reload: () => setTick((t) => t + 1) };
}
