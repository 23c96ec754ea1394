'use client';

import Link from 'next/link';
import { PageHeader } from '@/components/app-shell';
import { ErrorPanel, Time } from '@/components/feedback';
import { Card, StatusBadge } from '@/components/ui';
import { useApi, useTitle } from '@/lib/hooks';
import { useSession } from '@/lib/session';
import type { ApiKey, NotificationLog, ProviderConfig, TemplateSummary } from '@/lib/types';

export default function TenantHome() {
  const { user } = useSession();
  useTitle('Home', user?.tenantName);
  const admin = user?.role === 'admin';
  const providers = useApi<ProviderConfig[]>(admin ? '/providers' : null);
  const templates = useApi<TemplateSummary[]>('/templates', { query: { limit: 200 } });
  const keys = useApi<ApiKey[]>('/api-keys');
  const secret = useApi<{ set: boolean }>('/webhook-secret');
  const recent = useApi<NotificationLog[]>('/logs', { query: { limit: 5 } });
  const failures = useApi<NotificationLog[]>('/logs', { query: { limit: 5, status: 'FAILED' } });

  const checklist = [
    ...(admin ? [{ done: (providers.data ?? []).some((p) => p.enabled), label: 'Connect a provider', href: '/tenant/providers' }] : []),
    { done: (templates.data ?? []).some((t) => t.activeVersion !== null), label: 'Publish a template', href: '/tenant/templates' },
    { done: (keys.data ?? []).some((k) => k.state === 'active'), label: 'Have an active API key', href: '/tenant/keys' },
    { done: secret.data?.set === true, label: 'Set a webhook signing secret', href: '/tenant/keys' },
    { done: (recent.data ?? []).length > 0, label: 'Send your first event', href: '/tenant/logs' },
  ];
  const loaded = templates.data && keys.data && secret.data && recent.data;
  const open = checklist.filter((c) => !c.done);
  return (
    <>
      <PageHeader title={`Welcome, ${user?.tenantName ?? ''}`} />
      {templates.error ? <ErrorPanel error={templates.error} /> : null}
      {loaded && open.length > 0 ? (
        <Card title="Setup checklist" className="mb-4">
          <ul className="flex flex-col gap-1 text-sm">
            {checklist.map((c) => (
              <li key={c.label}>
                <span aria-hidden="true">{c.done ? '✓' : '○'}</span>{' '}
                {c.done ? (
                  <span>{c.label} (done)</span>
                ) : (
                  <Link className="text-blue-800 underline" href={c.href}>
                    {c.label}
                  </Link>
                )}
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      <Card title="Recent failures">
        {failures.data?.length === 0 ? <p className="text-sm">No failed notification. </p> : null}
        <ul className="text-sm">
          {(failures.data ?? []).map((n) => (
            <li key={n.id}>
              <Time value={n.createdAt} /> <StatusBadge status={n.status} /> {n.eventType} → {n.recipient ?? n.userId}:{' '}
              <code className="font-mono">{n.lastErrorCode ?? '—'}</code>{' '}
              <Link className="text-blue-800 underline" href={`/tenant/logs?open=${n.id}`}>
                open
              </Link>
            </li>
          ))}
        </ul>
      </Card>
    </>
  );
}
