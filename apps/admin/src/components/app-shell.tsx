'use client';

import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useEffect, type ReactNode } from 'react';
import type { Realm } from '@/lib/api';
import { useSession } from '@/lib/session';
import { Button, cn } from './ui';
import { Modal } from './drawer';

interface NavItem {
  href: string;
  label: string;
  adminOnly?: boolean;
}
const operatorNav: { group: string; items: NavItem[] }[] = [
  {
    group: 'Monitor',
    items: [
      { href: '/operator', label: 'Overview' },
      { href: '/operator/logs', label: 'Logs' },
      { href: '/operator/dlq', label: 'Dead letters' },
      { href: '/operator/tasks', label: 'Replay tasks' },
      { href: '/operator/system', label: 'System' },
    ],
  },
  {
    group: 'Configure',
    items: [
      { href: '/operator/tenants', label: 'Tenants' },
      { href: '/operator/templates', label: 'Global templates' },
      { href: '/operator/audit', label: 'Audit log' },
    ],
  },
  { group: 'Account', items: [{ href: '/operator/account', label: 'Account' }] },
];
const tenantNav: { group: string; items: NavItem[] }[] = [
  {
    group: 'Monitor',
    items: [
      { href: '/tenant', label: 'Home' },
      { href: '/tenant/logs', label: 'Logs' },
      { href: '/tenant/dlq', label: 'Dead letters' },
      { href: '/tenant/usage', label: 'Usage' },
    ],
  },
  {
    group: 'Build',
    items: [
      { href: '/tenant/templates', label: 'Templates' },
      { href: '/tenant/sandbox', label: 'Sandbox' },
    ],
  },
  {
    group: 'Configure',
    items: [
      { href: '/tenant/providers', label: 'Providers', adminOnly: true },
      { href: '/tenant/keys', label: 'Keys & secrets' },
      { href: '/tenant/audit', label: 'Audit log' },
    ],
  },
  { group: 'Account', items: [{ href: '/tenant/account', label: 'Account' }] },
];

export function AppShell({ realm, children }: { realm: Realm; children: ReactNode }) {
  const session = useSession();
  const router = useRouter();
  const pathname = usePathname();
  const { status, resume, mustChangePassword } = session;

  useEffect(() => {
    // Back to the requested page after signing in (the login page accepts only paths of this realm).
    const toLogin = () =>
      router.replace(`/login?realm=${realm}&next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
    if (status === 'loading' || (status === 'signed-out' && session.realm !== realm)) {
      void resume(realm).then((ok) => {
        if (!ok) toLogin();
      });
    } else if (status === 'signed-out') {
      toLogin();
    }
  }, [status, realm, resume, router, session.realm]);

  useEffect(() => {
    if (status === 'signed-in' && mustChangePassword) router.replace(`/change-password?realm=${realm}`);
  }, [status, mustChangePassword, realm, router]);

  if (status !== 'signed-in' && status !== 'expired') {
    return (
      <main className="p-8" aria-busy="true">
        <p>Loading your session…</p>
      </main>
    );
  }

  const viewer = session.user?.role === 'viewer';
  const nav = realm === 'admin' ? operatorNav : tenantNav;
  const who = session.user?.username ?? session.user?.email ?? '';
  return (
    <div className="flex min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only">
        Skip to content
      </a>
      <nav aria-label="Console" className="w-56 shrink-0 border-r border-slate-200 bg-white p-4">
        <p className="mb-1 text-lg font-semibold">Orqestra</p>
        <p className="mb-4 text-xs text-slate-800">
          {realm === 'admin' ? 'Platform operator' : `${session.user?.tenantName ?? 'Tenant'} · ${session.user?.role ?? ''}`}
        </p>
        {nav.map((g) => (
          <div key={g.group} className="mb-4">
            <p className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-700">{g.group}</p>
            <ul>
              {g.items
                .filter((i) => !(i.adminOnly && viewer))
                .map((i) => {
                  const active = pathname === i.href || (i.href !== '/operator' && i.href !== '/tenant' && pathname.startsWith(i.href));
                  return (
                    <li key={i.href}>
                      <Link
                        href={i.href}
                        aria-current={active ? 'page' : undefined}
                        className={cn(
                          'block rounded px-2 py-1 text-sm',
                          active ? 'bg-blue-100 font-semibold text-blue-950' : 'hover:bg-slate-100',
                        )}
                      >
                        {i.label}
                      </Link>
                    </li>
                  );
                })}
            </ul>
          </div>
        ))}
        <div className="mt-6 border-t border-slate-200 pt-3 text-xs">
          <p className="mb-2 break-all">Signed in as {who}</p>
          <Button
            variant="secondary"
            onClick={() => {
              void session.signOut().then(() => router.replace(`/login?realm=${realm}`));
            }}
          >
            Sign out
          </Button>
        </div>
      </nav>
      <main id="main" className="min-w-0 flex-1 p-6">
        {children}
      </main>
      <Modal open={status === 'expired'} onOpenChange={() => undefined} title="Session expired">
        <p className="mb-2 text-sm">Your session ended (it lasts at most 8 hours, or it was signed out elsewhere).</p>
        <p className="mb-4 text-sm">
          Unsaved template edits are kept as a local draft in this browser and come back when you open the template again.
        </p>
        <Button onClick={() => router.push(`/login?realm=${realm}&next=${encodeURIComponent(pathname)}`)}>Sign in again</Button>
      </Modal>
    </div>
  );
}

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="mb-4 flex flex-wrap items-center justify-between gap-2">
      <h1 className="text-2xl font-semibold">{title}</h1>
      <div className="flex gap-2">{children}</div>
    </div>
  );
}
