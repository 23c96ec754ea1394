'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { PageHeader } from '@/components/app-shell';
import { Modal } from '@/components/drawer';
import { Empty, ErrorPanel } from '@/components/feedback';
import { FilterBar } from '@/components/filters';
import { Button, Field, Input, Select, StatusBadge, Table, Td, Th } from '@/components/ui';
import type { ApiError } from '@/lib/api';
import { useApi, useTitle, useUrlState } from '@/lib/hooks';
import { useSession } from '@/lib/session';
import { CHANNELS, type TemplateSummary } from '@/lib/types';

const PAGE_SIZE = 200;
const STARTER: Record<string, Record<string, unknown>> = {
  EMAIL: { subject: '{{title}}', bodyFormat: 'html', body: '<p>{{message}}</p>' },
  SMS: { body: '{{title}}: {{message}}' },
  PUSH: { title: '{{title}}', pushBody: '{{message}}' },
};

interface MatrixRow {
  eventType: string;
  locale: string;
  cells: Partial<Record<string, TemplateSummary>>;
}

/** One row per event type and locale, one column per channel (the list comes sorted by event type, channel, locale). */
function matrixOf(templates: TemplateSummary[]): MatrixRow[] {
  const rows = new Map<string, MatrixRow>();
  for (const t of templates) {
    const key = `${t.eventType}\u0000${t.locale}`;
    const row = rows.get(key) ?? { eventType: t.eventType, locale: t.locale, cells: {} };
    row.cells[t.channel] = t;
    rows.set(key, row);
  }
  return [...rows.values()].sort((a, b) => a.eventType.localeCompare(b.eventType) || a.locale.localeCompare(b.locale));
}

/** ADMIN-UI §5.2: the global.* matrix (event type × channel × locale) with the active version and how many tenants override each. */
export default function GlobalTemplates() {
  useTitle('Global templates', 'Platform');
  const { call } = useSession();
  const router = useRouter();
  const [params, setParams] = useUrlState();
  const search = params.get('search') ?? '';
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const list = useApi<TemplateSummary[]>('/global-templates', { query: { search: search || undefined, page, limit: PAGE_SIZE } });
  const total = (list.body?.pagination as { total?: number } | undefined)?.total ?? 0;
  const rows = matrixOf(list.data ?? []);
  const [creating, setCreating] = useState(false);
  const [eventType, setEventType] = useState('global.');
  const [channel, setChannel] = useState('EMAIL');
  const [locale, setLocale] = useState('en');
  const [error, setError] = useState<ApiError | null>(null);
  return (
    <>
      <PageHeader title="Global templates">
        <Button onClick={() => setCreating(true)}>Create global template</Button>
      </PageHeader>
      <p className="mb-3 max-w-3xl text-sm">
        Templates of the <code className="font-mono">global.*</code> event types serve every tenant that has no active template of its own
        for the same event type, channel and locale. &ldquo;Overridden by&rdquo; counts the tenants that have one: their recipients in that
        locale get the tenant&rsquo;s template, never this one.
      </p>
      <FilterBar
        defs={[{ name: 'search', label: 'Event type contains' }]}
        params={params}
        onApply={(values) => setParams({ ...values, page: null })}
      />
      {list.error ? <ErrorPanel error={list.error} /> : null}
      {list.data?.length === 0 ? (
        <Empty title={search ? 'No global template matches' : 'No global templates yet'}>
          {search ? 'Clear the filter to see them all.' : 'Create one: global.info, global.alert, … with the variables title and message.'}
        </Empty>
      ) : null}
      {rows.length > 0 ? (
        <Table caption="Global templates by event type and locale (rows) and channel (columns)">
          <thead>
            <tr>
              <Th>Event type</Th>
              <Th>Locale</Th>
              {CHANNELS.map((c) => (
                <Th key={c}>{c}</Th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={`${row.eventType} ${row.locale}`}>
                <Td className="font-mono text-xs">{row.eventType}</Td>
                <Td>{row.locale}</Td>
                {CHANNELS.map((c) => {
                  const t = row.cells[c];
                  if (!t)
                    return (
                      <Td key={c}>
                        <span className="text-slate-700">
                          —<span className="sr-only">no {c} template</span>
                        </span>
                      </Td>
                    );
                  const overridden = t.overriddenBy ?? 0;
                  return (
                    <Td key={c}>
                      <div className="flex flex-col gap-1">
                        <span className="flex items-center gap-2">
                          <Link className="font-medium text-blue-800 underline" href={`/operator/templates/${t.id}`}>
                            <span className="sr-only">
                              {row.eventType} {c} {row.locale}:{' '}
                            </span>
                            {t.activeVersion === null ? `edit (latest v${t.latestVersion ?? '?'})` : `v${t.activeVersion}`}
                          </Link>
                          {t.activeVersion === null ? <StatusBadge status="inactive" /> : <StatusBadge status="active" />}
                        </span>
                        <span className="text-xs">
                          {overridden === 0 ? 'Not overridden' : `Overridden by ${overridden} tenant${overridden === 1 ? '' : 's'}`}
                        </span>
                      </div>
                    </Td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
      {total > PAGE_SIZE ? (
        <nav aria-label="Pages" className="mt-3 flex items-center gap-2 text-sm">
          <Button variant="secondary" disabled={page <= 1} onClick={() => setParams({ page: String(page - 1) })}>
            Previous page
          </Button>
          <span>
            Page {page} of {Math.ceil(total / PAGE_SIZE)} ({total} templates)
          </span>
          <Button variant="secondary" disabled={page * PAGE_SIZE >= total} onClick={() => setParams({ page: String(page + 1) })}>
            Next page
          </Button>
        </nav>
      ) : null}
      <Modal open={creating} onOpenChange={setCreating} title="Create global template">
        <form
          className="flex flex-col gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            void call<{ templateId: string }>('/global-templates', {
              method: 'POST',
              body: { eventType, locale, activate: false, template: { channel, ...STARTER[channel] } },
            }).then((r) => {
              if (!r.ok) return setError(r.error);
              router.push(`/operator/templates/${r.data.templateId}`);
            });
          }}
        >
          <Field label="Event type" htmlFor="gtpl-event-type" hint="global.something; tenants send it like any event type">
            <Input id="gtpl-event-type" required value={eventType} onChange={(e) => setEventType(e.target.value)} />
          </Field>
          <Field label="Channel" htmlFor="gtpl-channel">
            <Select id="gtpl-channel" value={channel} onChange={(e) => setChannel(e.target.value)}>
              {CHANNELS.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </Select>
          </Field>
          <Field label="Locale" htmlFor="gtpl-locale">
            <Input id="gtpl-locale" value={locale} onChange={(e) => setLocale(e.target.value)} />
          </Field>
          <p className="text-sm">The first version is saved inactive: activate it from the editor when it is ready.</p>
          {error ? <ErrorPanel error={error} /> : null}
          <Button type="submit">Create and edit</Button>
        </form>
      </Modal>
    </>
  );
}
