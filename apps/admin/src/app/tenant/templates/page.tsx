'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { PageHeader } from '@/components/app-shell';
import { Modal } from '@/components/drawer';
import { Empty, ErrorPanel, Time } from '@/components/feedback';
import { Button, Field, Input, Select, StatusBadge, Table, Td, Th } from '@/components/ui';
import type { ApiError } from '@/lib/api';
import { useApi, useTitle } from '@/lib/hooks';
import { useSession } from '@/lib/session';
import { CHANNELS, type TemplateSummary } from '@/lib/types';

const STARTER: Record<string, Record<string, unknown>> = {
  EMAIL: { subject: 'Hello {{name}}', bodyFormat: 'html', body: '<p>Hello {{name}}</p>' },
  SMS: { body: 'Hello {{name}}' },
  PUSH: { title: 'Hello', pushBody: 'Hello {{name}}' },
};

export default function TemplatesPage() {
  const { user, call } = useSession();
  useTitle('Templates', user?.tenantName);
  const router = useRouter();
  const list = useApi<TemplateSummary[]>('/templates', { query: { limit: 200 } });
  const [creating, setCreating] = useState(false);
  const [eventType, setEventType] = useState('');
  const [channel, setChannel] = useState('EMAIL');
  const [locale, setLocale] = useState('en');
  const [error, setError] = useState<ApiError | null>(null);
  return (
    <>
      <PageHeader title="Templates">
        {user?.role === 'admin' ? <Button onClick={() => setCreating(true)}>Create template</Button> : null}
      </PageHeader>
      {list.error ? <ErrorPanel error={list.error} /> : null}
      {list.data?.length === 0 ? (
        <Empty title="No templates yet">Without one, events of a type use the global template, if any.</Empty>
      ) : null}
      {list.data && list.data.length > 0 ? (
        <Table caption="Templates">
          <thead>
            <tr>
              <Th>Event type</Th>
              <Th>Channel</Th>
              <Th>Locale</Th>
              <Th>Active</Th>
              <Th>Latest</Th>
              <Th>Updated</Th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((t) => (
              <tr key={t.id}>
                <Td>
                  <Link className="font-medium text-blue-800 underline" href={`/tenant/templates/${t.id}`}>
                    {t.eventType}
                  </Link>
                </Td>
                <Td>{t.channel}</Td>
                <Td>{t.locale}</Td>
                <Td>{t.activeVersion === null ? <StatusBadge status="inactive" /> : `v${t.activeVersion}`}</Td>
                <Td>{t.latestVersion === null ? '—' : `v${t.latestVersion}`}</Td>
                <Td>
                  <Time value={t.updatedAt} />
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
      <Modal open={creating} onOpenChange={setCreating} title="Create template">
        <form
          className="flex flex-col gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            void call<{ templateId: string }>('/templates', {
              method: 'POST',
              body: { eventType, channel, locale, activate: false, ...STARTER[channel] },
            }).then((r) => {
              if (!r.ok) return setError(r.error);
              router.push(`/tenant/templates/${r.data.templateId}`);
            });
          }}
        >
          <Field label="Event type" htmlFor="tpl-event-type" hint="As your backend sends it, e.g. order.confirmed">
            <Input id="tpl-event-type" required value={eventType} onChange={(e) => setEventType(e.target.value)} />
          </Field>
          <Field label="Channel" htmlFor="tpl-channel">
            <Select id="tpl-channel" value={channel} onChange={(e) => setChannel(e.target.value)}>
              {CHANNELS.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </Select>
          </Field>
          <Field label="Locale" htmlFor="tpl-locale">
            <Input id="tpl-locale" value={locale} onChange={(e) => setLocale(e.target.value)} />
          </Field>
          {error ? <ErrorPanel error={error} /> : null}
          <Button type="submit">Create and edit</Button>
        </form>
      </Modal>
    </>
  );
}
