'use client';

import { useRouter, useSearchParams } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { ErrorPanel } from '@/components/feedback';
import { Button, Field, Input } from '@/components/ui';
import type { ApiError, Realm } from '@/lib/api';
import { useTitle } from '@/lib/hooks';
import { useSession } from '@/lib/session';

export default function LoginPage() {
  useTitle('Sign in');
  const params = useSearchParams();
  const router = useRouter();
  const { signIn } = useSession();
  const [realm, setRealm] = useState<Realm>(params.get('realm') === 'tenant' ? 'tenant' : 'admin');
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const result = await signIn(realm, login.trim(), password);
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    const answer = (result.data ?? result.body) as { mustChangePassword?: boolean };
    const home = realm === 'admin' ? '/operator' : '/tenant';
    const next = params.get('next');
    const safeNext = next && next.startsWith(home) ? next : home;
    router.replace(answer.mustChangePassword ? `/change-password?realm=${realm}&next=${encodeURIComponent(safeNext)}` : safeNext);
  }

  const fieldLabel = realm === 'admin' ? 'Username' : 'Email';
  return (
    <main className="mx-auto mt-16 max-w-md rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <h1 className="mb-4 text-2xl font-semibold">Sign in to Orqestra</h1>
      <fieldset className="mb-4">
        <legend className="mb-1 text-sm font-medium">Sign in as</legend>
        <div className="flex gap-4">
          {(
            [
              ['admin', 'Platform operator'],
              ['tenant', 'Tenant admin'],
            ] as const
          ).map(([value, label]) => (
            <label key={value} className="flex items-center gap-1 text-sm">
              <input type="radio" name="realm" value={value} checked={realm === value} onChange={() => setRealm(value)} />
              {label}
            </label>
          ))}
        </div>
      </fieldset>
      <form onSubmit={(e) => void submit(e)} className="flex flex-col gap-3">
        <Field label={fieldLabel} htmlFor="login">
          <Input
            id="login"
            name="login"
            autoComplete="username"
            type={realm === 'admin' ? 'text' : 'email'}
            required
            value={login}
            onChange={(e) => setLogin(e.target.value)}
          />
        </Field>
        <Field label="Password" htmlFor="password">
          <Input
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </Field>
        {error ? (
          <>
            <ErrorPanel error={error} title="Sign-in refused" />
            {error.retryAfterSeconds ? <p className="text-sm">You can try again in {error.retryAfterSeconds} s.</p> : null}
          </>
        ) : null}
        <Button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </Button>
      </form>
    </main>
  );
}
