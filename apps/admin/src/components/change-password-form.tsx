'use client';

import { useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useState, type FormEvent } from 'react';
import { ErrorPanel } from '@/components/feedback';
import { Button, Field, Input } from '@/components/ui';
import type { ApiError, Realm } from '@/lib/api';
import { useSession } from '@/lib/session';

export function ChangePasswordForm({ embedded = false }: { embedded?: boolean }) {
  const params = useSearchParams();
  const router = useRouter();
  const session = useSession();
  const realm: Realm = session.realm ?? (params.get('realm') === 'tenant' ? 'tenant' : 'admin');
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState(false);

  useEffect(() => {
    if (!embedded && session.status === 'loading') void session.resume(realm).then((ok) => ok || router.replace(`/login?realm=${realm}`));
  }, [embedded, session, realm, router]);

  const mismatch = confirm.length > 0 && confirm !== next;
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (next !== confirm || next.length < 12) return;
    const result = await session.changePassword(current, next);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setError(null);
    setDone(true);
    if (!embedded) {
      const home = realm === 'admin' ? '/operator' : '/tenant';
      const target = params.get('next');
      router.replace(target && target.startsWith(home) ? target : home);
    }
  }

  const body = (
    <form onSubmit={(e) => void submit(e)} className="flex max-w-md flex-col gap-3">
      {session.mustChangePassword ? <p className="text-sm">Your password is temporary: choose your own before you continue.</p> : null}
      <Field label="Current password" htmlFor="current-password">
        <Input
          id="current-password"
          type="password"
          autoComplete="current-password"
          required
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
        />
      </Field>
      <Field label="New password" htmlFor="new-password" hint="At least 12 characters. Changing it signs out your other sessions.">
        <Input
          id="new-password"
          type="password"
          autoComplete="new-password"
          minLength={12}
          required
          value={next}
          onChange={(e) => setNext(e.target.value)}
        />
      </Field>
      <Field label="Confirm new password" htmlFor="confirm-password">
        <Input
          id="confirm-password"
          type="password"
          autoComplete="new-password"
          required
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
          aria-invalid={mismatch}
        />
      </Field>
      {mismatch ? <p className="text-sm text-red-800">The two new passwords differ.</p> : null}
      {error ? <ErrorPanel error={error} /> : null}
      {done ? <p role="status">Password changed. Your other sessions were signed out.</p> : null}
      <Button type="submit" disabled={next.length < 12 || next !== confirm}>
        Change password
      </Button>
    </form>
  );
  if (embedded) return body;
  return (
    <main className="mx-auto mt-16 max-w-md rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <h1 className="mb-4 text-2xl font-semibold">Change password</h1>
      {body}
    </main>
  );
}
