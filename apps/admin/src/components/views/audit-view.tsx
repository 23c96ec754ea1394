'use client';

import { Drawer } from '@/components/drawer';
import { ExportCsv } from '@/components/export-csv';
import { CopyId, Empty, ErrorPanel, Time } from '@/components/feedback';
import { FilterBar, type FilterDef } from '@/components/filters';
import { Table, Td, Th } from '@/components/ui';
import { useApi, useUrlState } from '@/lib/hooks';
import type { AuditEntry } from '@/lib/types';

const FILTERS: FilterDef[] = [
  { name: 'action', label: 'Action' },
  { name: 'actorType', label: 'Actor type' },
  { name: 'resourceType', label: 'Resource type' },
  { name: 'resourceId', label: 'Resource id' },
  { name: 'traceId', label: 'Trace id' },
];
const OPERATOR_FILTERS: FilterDef[] = [{ name: 'tenantId', label: 'Tenant id' }, ...FILTERS];

/** The audit log: who did what to which resource, from where, with before/after in a drawer. */
export function AuditView({ operator }: { operator: boolean }) {
  const [params, setParams] = useUrlState();
  const filters = Object.fromEntries((operator ? OPERATOR_FILTERS : FILTERS).map((f) => [f.name, params.get(f.name) ?? undefined]));
  const list = useApi<AuditEntry[]>('/audit', { query: { ...filters, page: params.get('page') ?? undefined } });
  const open = params.get('open');
  const entry = list.data?.find((e) => e.id === open) ?? null;
  return (
    <>
      <FilterBar defs={operator ? OPERATOR_FILTERS : FILTERS} params={params} onApply={setParams} />
      <div className="mb-2">
        <ExportCsv path="/audit/export" query={filters} noun={['audit entry', 'audit entries']} />
      </div>
      {list.error ? <ErrorPanel error={list.error} /> : null}
      {list.data?.length === 0 ? <Empty title="No audit entry matches" /> : null}
      {list.data && list.data.length > 0 ? (
        <Table caption="Audit entries">
          <thead>
            <tr>
              <Th>Time</Th>
              <Th>Actor</Th>
              <Th>Action</Th>
              <Th>Resource</Th>
              <Th>IP</Th>
              <Th>Trace id</Th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((e) => (
              <tr key={e.id}>
                <Td>
                  <Time value={e.createdAt} />
                </Td>
                <Td>
                  {e.actorType} {e.actorId ? <code className="font-mono text-xs">{e.actorId.slice(0, 8)}</code> : null}
                </Td>
                <Td>
                  <button type="button" className="font-mono text-xs text-blue-800 underline" onClick={() => setParams({ open: e.id })}>
                    {e.action}
                  </button>
                </Td>
                <Td>{e.resourceType ? `${e.resourceType} ${e.resourceId ?? ''}` : '—'}</Td>
                <Td>{e.ip ?? '—'}</Td>
                <Td>{e.traceId ? <CopyId value={e.traceId} label="trace id" onPivot={() => setParams({ traceId: e.traceId })} /> : '—'}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
      <Drawer open={entry !== null} onOpenChange={(o) => (o ? undefined : setParams({ open: null }))} title="Audit entry">
        {entry ? (
          <div className="flex flex-col gap-2 text-sm">
            <p>
              <code className="font-mono">{entry.action}</code> at <Time value={entry.createdAt} /> from {entry.ip ?? 'unknown address'} (
              {entry.userAgent ?? 'unknown agent'})
            </p>
            {entry.valuesHidden ? (
              <p>Before and after values are hidden for your role.</p>
            ) : (
              <div className="grid grid-cols-2 gap-2">
                <div>
                  <h3 className="font-semibold">Before</h3>
                  <pre tabIndex={0} className="overflow-auto rounded bg-slate-100 p-2 text-xs">
                    {JSON.stringify(entry.before ?? null, null, 2)}
                  </pre>
                </div>
                <div>
                  <h3 className="font-semibold">After</h3>
                  <pre tabIndex={0} className="overflow-auto rounded bg-slate-100 p-2 text-xs">
                    {JSON.stringify(entry.after ?? null, null, 2)}
                  </pre>
                </div>
              </div>
            )}
          </div>
        ) : null}
      </Drawer>
    </>
  );
}
