'use client';

import Link from 'next/link';
import { useState } from 'react';
import { PageHeader } from '@/components/app-shell';
import { Modal } from '@/components/drawer';
import { CopyId, Empty, ErrorPanel, ShownOnce, Time } from '@/components/feedback';
import { Button, Field, Input, Select, StatusBadge, Table, Td, Th } from '@/components/ui';
import type { ApiError } from '@/lib/api';
import { useApi, useTitle, useUrlState } from '@/lib/hooks';
import { useSession } from '@/lib/session';
import { CHANNELS, type Channel, type Tenant } from '@/lib/types';

export default function TenantsPage() {
  useTitle('Tenants');
  const [params, setParams] = useUrlState();
  const status = params.get('status') ?? '';
  const q = (params.get('q') ?? '').toLowerCase();
  const list = useApi<Tenant[]>('/tenants', { query: { status: status || undefined, limit: 200 } });
  const [creating, setCreating] = useState(false);
  const rows = (list.data ?? []).filter((t) => !q || t.name.toLowerCase().includes(q) || t.id.includes(q));
  return (
    <>
      <PageHeader title="Tenants">
        <Button onClick={() => setCreating(true)}>Create tenant</Button>
      </PageHeader>
      <div className="mb-3 flex flex-wrap items-end gap-3">
        <Field label="Search by name or id" htmlFor="tenant-search">
          <Input
            id="tenant-search"
            className="w-64"
            defaultValue={params.get('q') ?? ''}
            onChange={(e) => setParams({ q: e.target.value })}
          />
        </Field>
        <Field label="Status" htmlFor="tenant-status">
          <Select id="tenant-status" value={status} onChange={(e) => setParams({ status: e.target.value })}>
            <option value="">Active and suspended</option>
            <option value="active">active</option>
            <option value="suspended">suspended</option>
            <option value="deleted">deleted (pending purge)</option>
          </Select>
        </Field>
      </div>
      {list.error ? <ErrorPanel error={list.error} /> : null}
      {list.data && rows.length === 0 ? (
        <Empty title={q ? 'No tenant matches this search' : 'No tenants yet'}>Create one with the button above.</Empty>
      ) : null}
      {rows.length > 0 ? (
        <Table caption="Tenants">
          <thead>
            <tr>
              <Th>Name</Th>
              <Th>Id</Th>
              <Th>Status</Th>
              <Th>Channels</Th>
              <Th>Limits (per min / burst / day)</Th>
              <Th>Created</Th>
            </tr>
          </thead>
          <tbody>
            {rows.map((t) => (
              <tr key={t.id} data-testid={`tenant-row-${t.id}`}>
                <Td>
                  <Link className="font-medium text-blue-800 underline" href={`/operator/tenants/${t.id}`}>
                    {t.name}
                  </Link>
                </Td>
                <Td>
                  <CopyId value={t.id} label="tenant id" />
                </Td>
                <Td>
                  <StatusBadge status={t.status} />
                </Td>
                <Td>{t.deliveryChannels.join(', ')}</Td>
                <Td>
                  {t.rateLimitPerMinute} / {t.burst} / {t.dailyCap.toLocaleString('en')}
                </Td>
                <Td>
                  <Time value={t.createdAt} />
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
      <Modal open={creating} onOpenChange={setCreating} title="Create tenant">
        <CreateTenant onCreated={list.reload} onClose={() => setCreating(false)} />
      </Modal>
    </>
  );
}

function CreateTenant({ onCreated, onClose }: { onCreated: () => void; onClose: () => void }) {
  const { call } = useSession();
  const [name, setName] = useState('');
  const [channels, setChannels] = useState<Channel[]>([...CHANNELS]);
  const [rate, setRate] = useState('600');
  const [burst, setBurst] = useState('100');
  const [dailyCap, setDailyCap] = useState('100000');
  const [locale, setLocale] = useState('en');
  const [policy, setPolicy] = useState('retry');
  const [error, setError] = useState<ApiError | null>(null);
  const [created, setCreated] = useState<{ id: string; apiKey: string } | null>(null);

  if (created) {
    return (
      <div className="flex flex-col gap-3">
        <ShownOnce label="API key" value={created.apiKey} />
        <p className="text-sm">
          Next:{' '}
          <Link className="text-blue-800 underline" href={`/operator/tenants/${created.id}?tab=admins`}>
            add the tenant&apos;s first admin
          </Link>
          .
        </p>
        <Button onClick={onClose}>Done</Button>
      </div>
    );
  }
  return (
    <form
      className="flex flex-col gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        void call<{ tenant: Tenant; apiKey: string }>('/tenants', {
          method: 'POST',
          body: {
            name,
            deliveryChannels: channels,
            rateLimitPerMinute: Number(rate),
            burst: Number(burst),
            dailyCap: Number(dailyCap),
            defaultLocale: locale,
            ambiguousSendPolicy: policy,
          },
        }).then((r) => {
          if (!r.ok) return setError(r.error);
          setCreated({ id: r.data.tenant.id, apiKey: r.data.apiKey });
          onCreated();
        });
      }}
    >
      <Field label="Name" htmlFor="tenant-name">
        <Input id="tenant-name" required value={name} onChange={(e) => setName(e.target.value)} />
      </Field>
      <fieldset>
        <legend className="text-sm font-medium">Channels</legend>
        <div className="flex gap-3">
          {CHANNELS.map((c) => (
            <label key={c} className="flex items-center gap-1 text-sm">
              <input
                type="checkbox"
                checked={channels.includes(c)}
                onChange={(e) => setChannels(e.target.checked ? [...channels, c] : channels.filter((x) => x !== c))}
              />
              {c}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="grid grid-cols-3 gap-2">
        <Field label="Per minute" htmlFor="tenant-rate">
          <Input id="tenant-rate" type="number" min={1} value={rate} onChange={(e) => setRate(e.target.value)} />
        </Field>
        <Field label="Burst" htmlFor="tenant-burst">
          <Input id="tenant-burst" type="number" min={1} value={burst} onChange={(e) => setBurst(e.target.value)} />
        </Field>
        <Field label="Daily cap" htmlFor="tenant-cap">
          <Input id="tenant-cap" type="number" min={1} value={dailyCap} onChange={(e) => setDailyCap(e.target.value)} />
        </Field>
      </div>
      <div className="grid grid-cols-2 gap-2">
        <Field label="Default locale" htmlFor="tenant-locale">
          <Input id="tenant-locale" value={locale} onChange={(e) => setLocale(e.target.value)} />
        </Field>
        <Field label="When a send is ambiguous" htmlFor="tenant-policy">
          <Select id="tenant-policy" value={policy} onChange={(e) => setPolicy(e.target.value)}>
            <option value="retry">retry (may duplicate)</option>
            <option value="fail">fail (never duplicate)</option>
          </Select>
        </Field>
      </div>
      {error ? <ErrorPanel error={error} /> : null}
      <div className="flex gap-2">
        <Button type="submit">Create tenant</Button>
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
