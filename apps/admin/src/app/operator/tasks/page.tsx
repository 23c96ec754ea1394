'use client';

import Link from 'next/link';
import { PageHeader } from '@/components/app-shell';
import { CopyId, Empty, ErrorPanel, Time } from '@/components/feedback';
import { Table, Td, Th } from '@/components/ui';
import { useApi, useTitle } from '@/lib/hooks';
import type { AuditEntry } from '@/lib/types';

const SHOWN = 100;

/** What a dlq.bulk_replay / dlq.bulk_discard audit entry records about its call (apps/api dlq-bulk.service.ts). */
interface BulkSummary {
  filter?: Record<string, unknown>;
  allTenants?: boolean;
  reason?: string;
  limit?: number;
  matched?: number;
  done?: number;
  byTenant?: { tenantId: string; done: number }[];
}

function filterSummary(s: BulkSummary): string {
  const parts = Object.entries(s.filter ?? {})
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${k} = ${String(v)}`);
  if (s.allTenants) parts.unshift('all tenants');
  return parts.length > 0 ? parts.join(', ') : 'no filter';
}

/**
 * ADMIN-UI §5.2 Replay tasks, as far as the data allows: bulk replays and discards run synchronously
 * inside the operator's request (capped per call), so there is no running task to show, follow or
 * cancel. What exists is the summary audit entry each finished call writes; this page lists those.
 */
export default function ReplayTasks() {
  useTitle('Replay tasks', 'Platform');
  const replays = useApi<AuditEntry[]>('/audit', { query: { action: 'dlq.bulk_replay', limit: SHOWN } });
  const discards = useApi<AuditEntry[]>('/audit', { query: { action: 'dlq.bulk_discard', limit: SHOWN } });
  const entries = [...(replays.data ?? []), ...(discards.data ?? [])].sort(
    (a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id),
  );
  const loaded = replays.data !== null && discards.data !== null;
  const error = replays.error ?? discards.error;
  return (
    <>
      <PageHeader title="Replay tasks" />
      <div role="note" className="mb-4 max-w-3xl rounded border border-slate-300 bg-slate-50 p-3 text-sm">
        <p>
          <strong>Bulk work runs synchronously.</strong> A bulk replay or discard (from{' '}
          <Link className="text-blue-800 underline" href="/operator/dlq">
            Dead letters
          </Link>
          ) does its work inside the request, up to the cap you set, and answers when it is done; there is no background task to follow or
          cancel. This page lists the calls that finished, from their summary entries in the audit log (
          <code className="font-mono">dlq.bulk_replay</code>, <code className="font-mono">dlq.bulk_discard</code>), the latest {SHOWN} of
          each.
        </p>
        <p className="mt-1">
          Not listed: a call that failed midway writes no summary (each letter it reached has its own{' '}
          <code className="font-mono">dlq.replay</code> or <code className="font-mono">dlq.discard</code> entry), and tenants&rsquo; own
          bulk replays are recorded per letter only —{' '}
          <Link className="text-blue-800 underline" href="/operator/audit?action=dlq.replay">
            see them in the audit log
          </Link>
          .
        </p>
      </div>
      {error ? <ErrorPanel error={error} title="The audit log could not be read" /> : null}
      {loaded && entries.length === 0 ? (
        <Empty title="No bulk replay or discard yet">They appear here once an operator runs one from Dead letters.</Empty>
      ) : null}
      {entries.length > 0 ? (
        <Table caption="Finished bulk replays and discards, newest first">
          <thead>
            <tr>
              <Th>Finished</Th>
              <Th>Action</Th>
              <Th>Requested by</Th>
              <Th>Reason</Th>
              <Th>Filter</Th>
              <Th>Matched</Th>
              <Th>Done (cap)</Th>
              <Th>Tenants</Th>
              <Th>Audit entry</Th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => {
              const s = (e.after ?? {}) as BulkSummary;
              const left = (s.matched ?? 0) - (s.done ?? 0);
              return (
                <tr key={e.id}>
                  <Td>
                    <Time value={e.createdAt} />
                  </Td>
                  <Td>{e.action === 'dlq.bulk_replay' ? 'Replay' : 'Discard'}</Td>
                  <Td>{e.actorId ? <CopyId value={e.actorId} label="operator id" /> : e.actorType}</Td>
                  <Td>{s.reason ?? '—'}</Td>
                  <Td className="text-xs">{filterSummary(s)}</Td>
                  <Td>{s.matched ?? '—'}</Td>
                  <Td>
                    {s.done ?? '—'} ({s.limit ?? '—'})
                    {left > 0 ? <span className="block text-xs">{left} left when it finished</span> : null}
                  </Td>
                  <Td className="text-xs">{(s.byTenant ?? []).map((t) => `${t.tenantId.slice(0, 8)}… ${t.done}`).join(', ') || '—'}</Td>
                  <Td>
                    <Link
                      className="text-blue-800 underline"
                      href={`/operator/audit?${new URLSearchParams({ action: e.action, ...(e.traceId ? { traceId: e.traceId } : {}), open: e.id }).toString()}`}
                    >
                      Open entry
                      <span className="sr-only">
                        {' '}
                        of the {e.action === 'dlq.bulk_replay' ? 'replay' : 'discard'} at {e.createdAt}
                      </span>
                    </Link>
                  </Td>
                </tr>
              );
            })}
          </tbody>
        </Table>
      ) : null}
    </>
  );
}
