'use client';

import Link from 'next/link';
import { useParams } from 'next/navigation';
import { useState } from 'react';
import { Tabs } from 'radix-ui';
import { PageHeader } from '@/components/app-shell';
import { CopyId, ErrorPanel, ShownOnce, Time } from '@/components/feedback';
import { Button, Card, Field, Input, Select, StatusBadge, Table, Td, Th } from '@/components/ui';
import { KeysPanel } from '@/components/views/keys-panel';
import type { ApiError } from '@/lib/api';
import { useApi, useTitle, useUrlState } from '@/lib/hooks';
import { useSession } from '@/lib/session';
import type { Tenant, TenantAdmin } from '@/lib/types';

const TABS = ['settings', 'keys', 'admins', 'providers', 'danger'] as const;
const TAB_LABEL: Record<string, string> = {
  settings: 'Settings',
  keys: 'Keys',
  admins: 'Admins',
  providers: 'Providers',
  danger: 'Danger zone',
};

export default function TenantDetail() {
  const { id } = useParams<{ id: string }>();
  const tenant = useApi<Tenant>(`/tenants/${encodeURIComponent(id)}`);
  const [params, setParams] = useUrlState();
  const tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as string) : 'settings';
  useTitle(TAB_LABEL[tab], tenant.data?.name ?? (tenant.error ? 'Not found' : undefined));
  if (tenant.error) {
    return (
      <>
        <PageHeader title="Tenant" />
        <ErrorPanel error={tenant.error} title="This tenant cannot be shown" />
      </>
    );
  }
  const t = tenant.data;
  if (!t) return <p>Loading…</p>;
  return (
    <>
      <div role="note" className="mb-3 rounded-md border border-blue-300 bg-blue-50 p-2 text-sm text-blue-950">
        Viewing tenant <strong>{t.name}</strong> as operator. Changes here are audited as yours.
      </div>
      <PageHeader title={t.name}>
        <StatusBadge status={t.status} />
      </PageHeader>
      <p className="mb-3 text-sm">
        Id <CopyId value={t.id} label="tenant id" /> · created <Time value={t.createdAt} /> ·{' '}
        <Link className="text-blue-800 underline" href={`/operator/logs?tenantId=${t.id}`}>
          its logs
        </Link>{' '}
        ·{' '}
        <Link className="text-blue-800 underline" href={`/operator/dlq?tenantId=${t.id}`}>
          dead letters
        </Link>{' '}
        ·{' '}
        <Link className="text-blue-800 underline" href={`/operator/audit?tenantId=${t.id}`}>
          audit
        </Link>
      </p>
      <Tabs.Root value={tab} onValueChange={(v) => setParams({ tab: v })}>
        <Tabs.List aria-label="Tenant sections" className="mb-4 flex gap-1 border-b border-slate-300">
          {TABS.map((k) => (
            <Tabs.Trigger
              key={k}
              value={k}
              className="rounded-t px-3 py-1.5 text-sm data-[state=active]:bg-white data-[state=active]:font-semibold"
            >
              {TAB_LABEL[k]}
            </Tabs.Trigger>
          ))}
        </Tabs.List>
        <Tabs.Content value="settings">
          <Settings tenant={t} onSaved={tenant.reload} />
        </Tabs.Content>
        <Tabs.Content value="keys">
          <KeysPanel base={`/tenants/${t.id}`} canWrite={t.status !== 'deleted'} />
        </Tabs.Content>
        <Tabs.Content value="admins">
          <Admins tenantId={t.id} />
        </Tabs.Content>
        <Tabs.Content value="providers">
          <BaseUrl tenantId={t.id} />
        </Tabs.Content>
        <Tabs.Content value="danger">
          <Danger tenant={t} onDone={tenant.reload} />
        </Tabs.Content>
      </Tabs.Root>
    </>
  );
}

function Settings({ tenant, onSaved }: { tenant: Tenant; onSaved: () => void }) {
  const { call } = useSession();
  const [form, setForm] = useState({
    rateLimitPerMinute: String(tenant.rateLimitPerMinute),
    burst: String(tenant.burst),
    dailyCap: String(tenant.dailyCap),
    defaultLocale: tenant.defaultLocale,
    ambiguousSendPolicy: tenant.ambiguousSendPolicy,
  });
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  return (
    <Card title="Settings">
      <form
        className="grid max-w-xl grid-cols-2 gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          const body = {
            rateLimitPerMinute: Number(form.rateLimitPerMinute),
            burst: Number(form.burst),
            dailyCap: Number(form.dailyCap),
            defaultLocale: form.defaultLocale,
            ambiguousSendPolicy: form.ambiguousSendPolicy,
          };
          void call<Tenant>(`/tenants/${tenant.id}`, { method: 'PATCH', body }).then((r) => {
            if (!r.ok) return setError(r.error);
            setError(null);
            setSaved(
              `Saved. Before: ${tenant.rateLimitPerMinute}/min, burst ${tenant.burst}, ${tenant.dailyCap}/day. After: ${r.data.rateLimitPerMinute}/min, burst ${r.data.burst}, ${r.data.dailyCap}/day.`,
            );
            onSaved();
          });
        }}
      >
        <Field label="Requests per minute" htmlFor="set-rate">
          <Input
            id="set-rate"
            type="number"
            value={form.rateLimitPerMinute}
            onChange={(e) => setForm({ ...form, rateLimitPerMinute: e.target.value })}
          />
        </Field>
        <Field label="Burst" htmlFor="set-burst">
          <Input id="set-burst" type="number" value={form.burst} onChange={(e) => setForm({ ...form, burst: e.target.value })} />
        </Field>
        <Field label="Daily cap" htmlFor="set-cap">
          <Input id="set-cap" type="number" value={form.dailyCap} onChange={(e) => setForm({ ...form, dailyCap: e.target.value })} />
        </Field>
        <Field label="Default locale" htmlFor="set-locale">
          <Input id="set-locale" value={form.defaultLocale} onChange={(e) => setForm({ ...form, defaultLocale: e.target.value })} />
        </Field>
        <Field label="Ambiguous sends" htmlFor="set-policy">
          <Select
            id="set-policy"
            value={form.ambiguousSendPolicy}
            onChange={(e) => setForm({ ...form, ambiguousSendPolicy: e.target.value as 'retry' | 'fail' })}
          >
            <option value="retry">retry</option>
            <option value="fail">fail</option>
          </Select>
        </Field>
        <div className="col-span-2 flex flex-col gap-2">
          {error ? <ErrorPanel error={error} /> : null}
          {saved ? <p role="status">{saved}</p> : null}
          <Button type="submit" className="self-start">
            Save settings
          </Button>
        </div>
      </form>
    </Card>
  );
}

function Admins({ tenantId }: { tenantId: string }) {
  const { call } = useSession();
  const admins = useApi<TenantAdmin[]>(`/tenants/${tenantId}/admins`);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState('admin');
  const [shown, setShown] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  return (
    <Card title="Admins">
      {shown ? <ShownOnce label="Temporary password" value={shown} /> : null}
      <Table caption="Tenant admins">
        <thead>
          <tr>
            <Th>Email</Th>
            <Th>Role</Th>
            <Th>State</Th>
            <Th>Last sign-in</Th>
            <Th>Actions</Th>
          </tr>
        </thead>
        <tbody>
          {(admins.data ?? []).map((a) => (
            <tr key={a.id}>
              <Td>{a.email}</Td>
              <Td>{a.role}</Td>
              <Td>
                <StatusBadge status={a.status} /> {a.mustChangePassword ? '(temporary password)' : ''}
              </Td>
              <Td>
                <Time value={a.lastLoginAt} />
              </Td>
              <Td>
                <Button
                  variant="secondary"
                  onClick={() =>
                    void call<{ temporaryPassword: string }>(`/tenants/${tenantId}/admins/${a.id}/reset-password`, { method: 'POST' }).then(
                      (r) => {
                        if (!r.ok) return setError(r.error);
                        setShown(r.data.temporaryPassword);
                        admins.reload();
                      },
                    )
                  }
                >
                  Reset password of {a.email}
                </Button>{' '}
                <Button
                  variant={a.status === 'disabled' ? 'secondary' : 'danger'}
                  onClick={() =>
                    void call(`/tenants/${tenantId}/admins/${a.id}/${a.status === 'disabled' ? 'enable' : 'disable'}`, {
                      method: 'POST',
                    }).then((r) => {
                      if (!r.ok) return setError(r.error);
                      setError(null);
                      admins.reload();
                    })
                  }
                >
                  {a.status === 'disabled' ? 'Enable' : 'Disable'} {a.email}
                </Button>
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
      <form
        className="mt-4 flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          void call<{ temporaryPassword: string }>(`/tenants/${tenantId}/admins`, { method: 'POST', body: { email, role } }).then((r) => {
            if (!r.ok) return setError(r.error);
            setError(null);
            setShown(r.data.temporaryPassword);
            setEmail('');
            admins.reload();
          });
        }}
      >
        <Field label="Email" htmlFor="admin-email">
          <Input id="admin-email" type="email" required className="w-64" value={email} onChange={(e) => setEmail(e.target.value)} />
        </Field>
        <Field label="Role" htmlFor="admin-role">
          <Select id="admin-role" value={role} onChange={(e) => setRole(e.target.value)}>
            <option value="admin">admin</option>
            <option value="viewer">viewer</option>
          </Select>
        </Field>
        <Button type="submit">Add admin</Button>
      </form>
      {error ? <ErrorPanel error={error} /> : null}
    </Card>
  );
}

function BaseUrl({ tenantId }: { tenantId: string }) {
  const { call } = useSession();
  const [providerId, setProviderId] = useState('');
  const [url, setUrl] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  return (
    <Card title="Provider base-URL override">
      <p className="mb-2 text-sm">
        Only https, and only hosts that resolve to public addresses (no loopback, private or link-local ranges). Leave the URL empty to
        restore the vendor&apos;s own.
      </p>
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          void call(`/tenants/${tenantId}/providers/${encodeURIComponent(providerId)}/base-url`, {
            method: 'PUT',
            body: { baseUrl: url.trim() || null },
          }).then((r) => {
            if (!r.ok) return setError(r.error);
            setError(null);
            setDone(url.trim() ? `Base URL set to ${url.trim()}.` : 'Vendor default restored.');
          });
        }}
      >
        <Field label="Provider config id" htmlFor="base-provider">
          <Input id="base-provider" required className="w-80" value={providerId} onChange={(e) => setProviderId(e.target.value)} />
        </Field>
        <Field label="Base URL" htmlFor="base-url">
          <Input id="base-url" className="w-80" value={url} onChange={(e) => setUrl(e.target.value)} />
        </Field>
        <Button type="submit">Save base URL</Button>
      </form>
      {error ? <ErrorPanel error={error} /> : null}
      {done ? <p role="status">{done}</p> : null}
    </Card>
  );
}

function Danger({ tenant, onDone }: { tenant: Tenant; onDone: () => void }) {
  const { call } = useSession();
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const act = (path: string, method = 'POST') =>
    void call(`/tenants/${tenant.id}${path}`, { method }).then((r) => {
      if (!r.ok) return setError(r.error);
      setError(null);
      onDone();
    });
  return (
    <Card title="Danger zone">
      {tenant.status === 'active' ? (
        <Button variant="danger" onClick={() => act('/suspend')}>
          Suspend tenant
        </Button>
      ) : null}
      {tenant.status === 'suspended' ? <Button onClick={() => act('/reactivate')}>Reactivate tenant</Button> : null}
      {tenant.status !== 'deleted' ? (
        <div className="mt-4 flex flex-col gap-2">
          <Field
            label={`Type the tenant's name (${tenant.name}) to delete it`}
            htmlFor="delete-confirm"
            hint="Soft delete: its keys stop at once and its data is purged after the retention period."
          >
            <Input id="delete-confirm" className="w-80" value={typed} onChange={(e) => setTyped(e.target.value)} />
          </Field>
          <Button variant="danger" className="self-start" disabled={typed !== tenant.name} onClick={() => act('', 'DELETE')}>
            Delete tenant
          </Button>
        </div>
      ) : (
        <p>
          Deleted <Time value={tenant.deletedAt} />; pending purge.
        </p>
      )}
      {error ? <ErrorPanel error={error} /> : null}
    </Card>
  );
}
