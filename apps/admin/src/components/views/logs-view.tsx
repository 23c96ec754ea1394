'use client';

import Link from 'next/link';
import { useEffect, useMemo, useState } from 'react';
import { Drawer } from '@/components/drawer';
import { CopyId, Empty, ErrorPanel, Time } from '@/components/feedback';
import { FilterBar, type FilterDef } from '@/components/filters';
import { SafePreview } from '@/components/safe-preview';
import { Button, Card, Select, StatusBadge, Table, Td, Th } from '@/components/ui';
import { ExportCsv } from '@/components/export-csv';
import { useApi, useUrlState } from '@/lib/hooks';
import { useSession } from '@/lib/session';
import type { AdminEvent, NotificationDetail, NotificationLog } from '@/lib/types';

const STATUSES = ['PENDING', 'SENDING', 'SENT', 'RETRYING', 'FAILED', 'DELIVERED', 'BOUNCED'];
const TENANT_FILTERS: FilterDef[] = [
  { name: 'status', label: 'Status', options: STATUSES },
  { name: 'channel', label: 'Channel', options: ['EMAIL', 'SMS', 'PUSH'] },
  { name: 'eventType', label: 'Event type' },
  { name: 'recipient', label: 'Recipient (exact address or number)' },
  { name: 'traceId', label: 'Trace id' },
  { name: 'mode', label: 'Mode', options: ['live', 'sandbox'] },
];
const OPERATOR_FILTERS: FilterDef[] = [{ name: 'tenantId', label: 'Tenant id' }, ...TENANT_FILTERS];
const QUERY_KEYS = [
  'status',
  'channel',
  'eventType',
  'eventId',
  'recipient',
  'traceId',
  'mode',
  'isTest',
  'from',
  'to',
  'cursor',
  'tenantId',
];
const IN_FLIGHT = new Set(['PENDING', 'SENDING', 'RETRYING']);
/** Time range presets (in the URL as `range`); explicit `from`/`to` in the URL win over them. */
const RANGES = [
  { value: '1h', label: 'Last hour', ms: 3_600_000 },
  { value: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { value: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { value: '30d', label: 'Last 30 days', ms: 30 * 86_400_000 },
  { value: 'all', label: 'Everything kept', ms: null },
] as const;
const DEFAULT_RANGE = '24h';
/** How often the list looks for notifications newer than the ones shown (it never reorders by itself). */
const NEW_POLL_MS = 5_000;

/** The log list (facets in the URL, cursor paging) and the lifecycle drawer of one notification. */
export function LogsView({ operator }: { operator: boolean }) {
  const [params, setParams] = useUrlState();
  const range = RANGES.find((r) => r.value === params.get('range')) ?? RANGES.find((r) => r.value === DEFAULT_RANGE)!;
  // The range's start is fixed when it is chosen (and when the page opens), not at every render: the
  // list stays put, and "N new" counts what arrived since.
  const [anchor, setAnchor] = useState(() => Date.now());
  const rangeFrom = range.ms === null ? undefined : new Date(anchor - range.ms).toISOString();
  const queryKey = [...QUERY_KEYS.map((k) => params.get(k) ?? ''), rangeFrom ?? ''].join('|');
  const query = useMemo<Record<string, string | undefined>>(
    () => ({ ...Object.fromEntries(QUERY_KEYS.map((k) => [k, params.get(k) ?? undefined])), from: params.get('from') ?? rangeFrom }),
    [queryKey], // the value of params and rangeFrom: a new object only when the query changes
  );
  const logs = useApi<NotificationLog[]>('/logs', { query: { ...query, limit: 50 } });
  const nextCursor = (logs.body?.pagination as { nextCursor?: string | null } | undefined)?.nextCursor ?? null;
  const open = params.get('open');
  const filtered = QUERY_KEYS.some((k) => k !== 'cursor' && params.get(k));
  const fresh = useNewCount(query, logs.data, !params.get('cursor'));

  return (
    <>
      <FilterBar defs={operator ? OPERATOR_FILTERS : TENANT_FILTERS} params={params} onApply={setParams} />
      <div className="mb-2 flex flex-wrap items-end gap-3">
        <div className="flex flex-col gap-1">
          <label htmlFor="logs-range" className="text-xs font-medium">
            Time range
          </label>
          <Select
            id="logs-range"
            value={range.value}
            onChange={(e) => {
              setAnchor(Date.now());
              setParams({ range: e.target.value === DEFAULT_RANGE ? null : e.target.value, from: null, to: null, cursor: null });
            }}
          >
            {RANGES.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </Select>
        </div>
        <ExportCsv path="/logs/export" query={{ ...query, cursor: undefined }} noun={['notification', 'notifications']} />
      </div>
      <p className="mb-2 text-xs text-slate-800">
        {params.get('from') || params.get('to')
          ? `From ${params.get('from') ?? 'the oldest kept'} to ${params.get('to') ?? 'now'}. `
          : range.ms === null
            ? 'Everything the retention window keeps. '
            : `${range.label}, counted from when the page opened or the range was chosen. `}
        Times are UTC (hover a time for your local reading). Newest first.
      </p>
      {fresh > 0 ? (
        <div role="status" className="mb-2 flex items-center gap-3 rounded-md border border-blue-300 bg-blue-50 px-3 py-2 text-sm">
          {fresh === 1 ? '1 new notification' : `${fresh} new notifications`} since the list was loaded.
          <Button variant="secondary" onClick={() => (params.get('cursor') ? setParams({ cursor: null }) : logs.reload())}>
            Show them
          </Button>
        </div>
      ) : null}
      {logs.error ? <ErrorPanel error={logs.error} /> : null}
      {logs.data && logs.data.length === 0 ? (
        filtered ? (
          <Empty title="No notification matches these filters">
            <Button variant="secondary" onClick={() => setParams(Object.fromEntries(QUERY_KEYS.map((k) => [k, null])))}>
              Clear filters
            </Button>
          </Empty>
        ) : range.ms !== null ? (
          <Empty title={`Nothing in the ${range.label.toLowerCase()}`}>
            <Button variant="secondary" onClick={() => setParams({ range: 'all', cursor: null })}>
              Show everything kept
            </Button>
          </Empty>
        ) : (
          <Empty title="No events yet">Send one with your API key: POST /api/v1/events/trigger (see docs/api.md).</Empty>
        )
      ) : null}
      {logs.data && logs.data.length > 0 ? (
        <Table caption="Notifications">
          <thead>
            <tr>
              <Th>Time</Th>
              {operator ? <Th>Tenant</Th> : null}
              <Th>Event type</Th>
              <Th>Recipient</Th>
              <Th>Channel</Th>
              <Th>Status</Th>
              <Th>Latest error</Th>
              <Th>Attempts</Th>
              <Th>Provider</Th>
            </tr>
          </thead>
          <tbody>
            {logs.data.map((n) => (
              <tr key={n.id} data-testid={`log-row-${n.id}`}>
                <Td>
                  <Time value={n.createdAt} />
                </Td>
                {operator ? (
                  <Td>
                    <CopyId value={n.tenantId ?? ''} label="tenant id" onPivot={() => setParams({ tenantId: n.tenantId, cursor: null })} />
                  </Td>
                ) : null}
                <Td>
                  <button
                    type="button"
                    className="text-left font-medium text-blue-800 underline"
                    onClick={() => setParams({ open: n.id })}
                    aria-label={`Open ${n.eventType} to ${n.recipient ?? n.userId} (${n.channel})`}
                  >
                    {n.eventType}
                  </button>
                  {n.isTest ? <span className="ml-1 rounded bg-slate-200 px-1 text-xs">test</span> : null}
                  {n.mode === 'sandbox' ? <span className="ml-1 rounded bg-slate-200 px-1 text-xs">sandbox</span> : null}
                </Td>
                <Td>
                  {n.recipient ? (
                    <CopyId value={n.recipient} label="recipient" onPivot={() => setParams({ recipient: n.recipient, cursor: null })} />
                  ) : (
                    '—'
                  )}
                </Td>
                <Td>{n.channel}</Td>
                <Td>
                  <StatusBadge status={n.status} />
                </Td>
                <Td>{n.lastErrorCode ? <code className="font-mono text-xs">{n.lastErrorCode}</code> : '—'}</Td>
                <Td>{n.attemptNumber}</Td>
                <Td>{n.provider ?? '—'}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
      <div className="mt-3 flex gap-2">
        {params.get('cursor') ? (
          <Button variant="secondary" onClick={() => setParams({ cursor: null })}>
            Newest
          </Button>
        ) : null}
        {nextCursor ? (
          <Button variant="secondary" onClick={() => setParams({ cursor: nextCursor })}>
            Older
          </Button>
        ) : null}
      </div>
      <Drawer open={open !== null} onOpenChange={(o) => (o ? undefined : setParams({ open: null }))} title="Notification lifecycle">
        {open ? <LogDetail id={open} operator={operator} onPivot={setParams} /> : null}
      </Drawer>
    </>
  );
}

/**
 * How many notifications matching the list's query arrived after the newest one shown (first page
 * only): the list announces them instead of moving rows under the reader (ADMIN-UI §6 detail 5).
 */
function useNewCount(query: Record<string, string | undefined>, shown: NotificationLog[] | null, enabled: boolean): number {
  const { call } = useSession();
  const [count, setCount] = useState(0);
  const shownKey = (shown ?? []).map((n) => n.id).join(',');
  useEffect(() => {
    setCount(0);
    if (!enabled || shown === null) return;
    const ids = new Set(shown.map((n) => n.id));
    const newest = shown.reduce((max, n) => (n.createdAt > max ? n.createdAt : max), '');
    let live = true;
    const look = async () => {
      const r = await call<NotificationLog[]>('/logs', { query: { ...query, cursor: undefined, limit: 200 } });
      if (live && r.ok) setCount(r.data.filter((n) => !ids.has(n.id) && n.createdAt >= newest).length);
    };
    const t = setInterval(() => void look(), NEW_POLL_MS);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [query, shownKey, enabled, call]); // shownKey stands for `shown` (a new array at every load)
  return count;
}

const SKIP_MEANING: Record<string, string> = {
  MISSING_RECIPIENT: 'the payload had no address for this channel',
  CHANNEL_DISABLED: 'the tenant does not deliver on this channel',
  NO_PROVIDER: 'no enabled provider is connected for this channel',
  NO_TEMPLATE: 'no template (tenant or global) exists for this event type, channel and locale',
  OPTED_OUT: 'the recipient opted out',
};

function LogDetail({ id, operator, onPivot }: { id: string; operator: boolean; onPivot: (c: Record<string, string | null>) => void }) {
  const { user } = useSession();
  const detail = useApi<NotificationDetail>(`/logs/${encodeURIComponent(id)}`);
  const n = detail.data;
  const event = useApi<AdminEvent>(!operator && n ? `/events/${encodeURIComponent(n.eventId)}` : null, { query: { mode: n?.mode } });
  const { reload } = detail;
  const inFlight = n ? IN_FLIGHT.has(n.status) : false;
  useEffect(() => {
    if (!inFlight) return;
    const t = setInterval(reload, 2_000); // live while in flight; stops when the status is terminal
    return () => clearInterval(t);
  }, [inFlight, reload]);

  if (detail.error) return <ErrorPanel error={detail.error} />;
  if (!n) return <p>Loading…</p>;
  const html = typeof n.content?.html === 'string' ? n.content.html : null;
  return (
    <div className="flex flex-col gap-4 text-sm">
      <Card title="Event">
        <dl className="grid grid-cols-[10rem_1fr] gap-y-1">
          <dt>Event id</dt>
          <dd>
            <CopyId value={n.eventId} label="event id" onPivot={() => onPivot({ eventId: n.eventId, open: null })} />
          </dd>
          <dt>Trace id</dt>
          <dd>
            <CopyId value={n.traceId} label="trace id" onPivot={() => onPivot({ traceId: n.traceId, open: null })} />
          </dd>
          <dt>Event type</dt>
          <dd>{n.eventType}</dd>
          <dt>Received</dt>
          <dd>
            <Time value={n.receivedAt} />
          </dd>
        </dl>
        {event.data ? (
          <div className="mt-3">
            <h3 className="font-semibold">Channels of this event</h3>
            <ul className="ml-4 list-disc">
              {Object.entries(event.data.channels).map(([channel, c]) => (
                <li key={channel}>
                  {channel}:{' '}
                  {'skipped' in c ? (
                    <>
                      skipped <code className="font-mono">{c.skipped}</code> — {SKIP_MEANING[c.skipped] ?? 'not delivered on this channel'}
                    </>
                  ) : (
                    <>
                      <StatusBadge status={c.status} /> {c.errorCode ? <code className="font-mono">{c.errorCode}</code> : null}
                    </>
                  )}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </Card>
      <Card title={`${n.channel} message`}>
        <p>
          <StatusBadge status={n.status} /> to {n.recipient ?? n.userId} via {n.provider ?? 'no provider yet'} · series {n.attemptSeries}
        </p>
        {n.lastErrorCode ? (
          <p className="mt-1">
            Last error <code className="font-mono">{n.lastErrorCode}</code>: {n.lastErrorMessage}
          </p>
        ) : null}
        {n.status === 'FAILED' && !operator ? (
          <p className="mt-1">
            Next step:{' '}
            <Link className="text-blue-800 underline" href={`/tenant/dlq?open=${n.id}`}>
              replay it from Dead letters
            </Link>{' '}
            once the cause is fixed.
          </p>
        ) : null}
        {n.nextAttemptAt ? (
          <p className="mt-1">
            Retrying at <Time value={n.nextAttemptAt} />
          </p>
        ) : null}
      </Card>
      <Card title="Attempts">
        {n.attempts.length === 0 ? (
          <p>No attempt yet.</p>
        ) : (
          <Table caption="Attempts">
            <thead>
              <tr>
                <Th>Started</Th>
                <Th>Series / #</Th>
                <Th>Provider</Th>
                <Th>Outcome</Th>
                <Th>HTTP</Th>
                <Th>Error</Th>
                <Th>Duration</Th>
              </tr>
            </thead>
            <tbody>
              {n.attempts.map((a) => (
                <tr key={`${a.attemptSeries}-${a.attemptNumber}`}>
                  <Td>
                    <Time value={a.startedAt} />
                  </Td>
                  <Td>
                    {a.attemptSeries} / {a.attemptNumber}
                  </Td>
                  <Td>{a.provider}</Td>
                  <Td>{a.outcome}</Td>
                  <Td>{a.httpStatus ?? '—'}</Td>
                  <Td>{a.errorCode ? `${a.errorCode}${a.errorMessage ? `: ${a.errorMessage}` : ''}` : '—'}</Td>
                  <Td>{a.durationMs === null ? '—' : `${a.durationMs} ms`}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
      <Card title="Rendered content">
        {user?.role === 'viewer' || !n.content ? (
          <p>Content is hidden for your role.</p>
        ) : (
          <>
            {typeof n.content.subject === 'string' ? <p className="mb-2">Subject: {n.content.subject}</p> : null}
            {html ? (
              <SafePreview html={html} title="Sent email preview" />
            ) : (
              <pre className="whitespace-pre-wrap">{JSON.stringify(n.content, null, 2)}</pre>
            )}
          </>
        )}
      </Card>
    </div>
  );
}
