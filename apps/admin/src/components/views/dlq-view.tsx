'use client';

import { useState } from 'react';
import { Drawer, Modal } from '@/components/drawer';
import { CopyId, Empty, ErrorPanel, Time } from '@/components/feedback';
import { FilterBar, type FilterDef } from '@/components/filters';
import { Button, Field, Input, StatusBadge, Table, Td, Th } from '@/components/ui';
import type { ApiError } from '@/lib/api';
import { useApi, useUrlState } from '@/lib/hooks';
import { useSession } from '@/lib/session';
import type { DeadLetter, DeadLetterDetail } from '@/lib/types';

const FILTERS: FilterDef[] = [
  { name: 'status', label: 'State', options: ['dead', 'replayed', 'discarded'] },
  { name: 'channel', label: 'Channel', options: ['EMAIL', 'SMS', 'PUSH'] },
  { name: 'provider', label: 'Provider' },
  { name: 'errorCode', label: 'Error code' },
  { name: 'eventType', label: 'Event type' },
];
const OPERATOR_FILTERS: FilterDef[] = [{ name: 'tenantId', label: 'Tenant id' }, ...FILTERS];
const KEYS = ['status', 'channel', 'provider', 'errorCode', 'eventType', 'tenantId', 'page'];

/** Dead letters: list with facets, detail drawer, replay one, bulk replay by filter with a dry run, discard. */
export function DlqView({ operator }: { operator: boolean }) {
  const { user, call } = useSession();
  const admin = operator || user?.role === 'admin';
  const [params, setParams] = useUrlState();
  const query = Object.fromEntries(KEYS.map((k) => [k, params.get(k) ?? undefined]));
  const list = useApi<DeadLetter[]>('/dlq', { query });
  const open = params.get('open');
  const [bulkOpen, setBulkOpen] = useState(false);

  return (
    <>
      <FilterBar defs={operator ? OPERATOR_FILTERS : FILTERS} params={params} onApply={setParams} />
      {admin ? (
        <div className="mb-3">
          <Button onClick={() => setBulkOpen(true)}>Bulk replay by filter…</Button>
        </div>
      ) : null}
      {list.error ? <ErrorPanel error={list.error} /> : null}
      {list.data?.length === 0 ? (
        <Empty title="No dead letters match">A notification lands here when every retry failed or the provider refused it for good.</Empty>
      ) : null}
      {list.data && list.data.length > 0 ? (
        <Table caption="Dead letters">
          <thead>
            <tr>
              <Th>Failed at</Th>
              {operator ? <Th>Tenant</Th> : null}
              <Th>Event type</Th>
              <Th>Channel</Th>
              <Th>Provider</Th>
              <Th>Error code</Th>
              <Th>State</Th>
              <Th>Replays</Th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((d) => (
              <tr key={d.notificationId} data-testid={`dlq-row-${d.notificationId}`}>
                <Td>
                  <Time value={d.createdAt} />
                </Td>
                {operator ? (
                  <Td>
                    <CopyId value={d.tenantId ?? ''} label="tenant id" onPivot={() => setParams({ tenantId: d.tenantId })} />
                  </Td>
                ) : null}
                <Td>
                  <button
                    type="button"
                    className="font-medium text-blue-800 underline"
                    onClick={() => setParams({ open: d.notificationId })}
                  >
                    {d.eventType}
                  </button>
                </Td>
                <Td>{d.channel}</Td>
                <Td>{d.provider ?? '—'}</Td>
                <Td>{d.errorCode ? <code className="font-mono text-xs">{d.errorCode}</code> : '—'}</Td>
                <Td>
                  <StatusBadge status={d.status} />
                </Td>
                <Td>{d.replayCount}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
      <Drawer open={open !== null} onOpenChange={(o) => (o ? undefined : setParams({ open: null }))} title="Dead letter">
        {open ? <DlqDetail id={open} admin={admin} operator={operator} onDone={list.reload} /> : null}
      </Drawer>
      <Modal open={bulkOpen} onOpenChange={setBulkOpen} title="Bulk replay by filter">
        <BulkReplay
          operator={operator}
          filter={Object.fromEntries(
            (operator ? OPERATOR_FILTERS : FILTERS)
              .map((f) => [f.name, params.get(f.name) ?? undefined])
              .filter(([k, v]) => v !== undefined && k !== 'status'),
          )}
          call={call}
          onDone={list.reload}
        />
      </Modal>
    </>
  );
}

function DlqDetail({ id, admin, operator, onDone }: { id: string; admin: boolean; operator: boolean; onDone: () => void }) {
  const { call } = useSession();
  const detail = useApi<DeadLetterDetail>(`/dlq/${encodeURIComponent(id)}`);
  const [reason, setReason] = useState('');
  const [confirmText, setConfirmText] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const d = detail.data;
  if (detail.error) return <ErrorPanel error={detail.error} />;
  if (!d) return <p>Loading…</p>;
  async function act(kind: 'replay' | 'discard') {
    const r = await call(`/dlq/${encodeURIComponent(id)}/${kind}`, { method: 'POST', body: { reason } });
    if (!r.ok) return setError(r.error);
    setError(null);
    setDone(kind === 'replay' ? 'Replayed: the notification is back in the queue under a new attempt series.' : 'Discarded.');
    detail.reload();
    onDone();
  }
  return (
    <div className="flex flex-col gap-3 text-sm">
      <p>
        <StatusBadge status={d.status} /> {d.eventType} on {d.channel} via {d.provider ?? '—'}; error{' '}
        <code className="font-mono">{d.errorCode ?? '—'}</code>
      </p>
      <p>
        Notification <CopyId value={d.notificationId} label="notification id" />
      </p>
      <h3 className="font-semibold">Payload</h3>
      {d.payloadHidden || !d.payload ? (
        <p>The payload is hidden for your role.</p>
      ) : (
        <pre tabIndex={0} className="max-h-64 overflow-auto rounded bg-slate-100 p-2 text-xs">
          {JSON.stringify(d.payload, null, 2)}
        </pre>
      )}
      <h3 className="font-semibold">Attempts</h3>
      <ul className="ml-4 list-disc">
        {d.attempts.map((a) => (
          <li key={`${a.attemptSeries}-${a.attemptNumber}`}>
            <Time value={a.startedAt} /> series {a.attemptSeries} #{a.attemptNumber} {a.provider}: {a.outcome} {a.errorCode ?? ''}
          </li>
        ))}
      </ul>
      {admin && d.status === 'dead' ? (
        <div className="flex flex-col gap-2 border-t border-slate-200 pt-3">
          <Field label="Reason (required, goes to the audit log)" htmlFor="dlq-reason">
            <Input id="dlq-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
          </Field>
          <div className="flex gap-2">
            <Button disabled={reason.trim().length === 0} onClick={() => void act('replay')}>
              Replay
            </Button>
          </div>
          {!operator ? (
            <>
              <Field label='Type "discard" to discard this dead letter for good' htmlFor="dlq-discard-confirm">
                <Input id="dlq-discard-confirm" value={confirmText} onChange={(e) => setConfirmText(e.target.value)} />
              </Field>
              <Button
                variant="danger"
                disabled={confirmText !== 'discard' || reason.trim().length === 0}
                onClick={() => void act('discard')}
              >
                Discard
              </Button>
            </>
          ) : null}
        </div>
      ) : null}
      {error ? <ErrorPanel error={error} /> : null}
      {done ? <p role="status">{done}</p> : null}
    </div>
  );
}

interface BulkAnswer {
  matched: number;
  replayed?: number;
  done?: number;
  remaining?: number;
  byTenant?: { tenantId: string; count?: number; done?: number }[];
}

/** Bulk replay (or, for operators, discard) by the page's filter: a dry run first, then a capped run with a reason. */
function BulkReplay({
  operator,
  filter,
  call,
  onDone,
}: {
  operator: boolean;
  filter: Record<string, string | undefined>;
  call: ReturnType<typeof useSession>['call'];
  onDone: () => void;
}) {
  const [dry, setDry] = useState<BulkAnswer | null>(null);
  const [reason, setReason] = useState('');
  const [limit, setLimit] = useState('100');
  const [action, setAction] = useState<'replay' | 'discard'>('replay');
  const [confirm, setConfirm] = useState('');
  const [result, setResult] = useState<BulkAnswer | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const allTenants = operator && !filter.tenantId;
  const summary =
    Object.entries(filter)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ') || (operator ? 'every dead letter of every active tenant' : 'every dead letter of this tenant');
  async function run(dryRun: boolean) {
    const path = `/dlq/${dryRun ? 'replay' : action}`;
    const body = dryRun
      ? { filter, dryRun: true, limit: Number(limit) }
      : { filter, limit: Number(limit), reason, ...(allTenants ? { confirm } : {}) };
    const r = await call<BulkAnswer>(path, { method: 'POST', body });
    if (!r.ok) return setError(r.error);
    setError(null);
    if (dryRun) setDry(r.data);
    else {
      setResult(r.data);
      onDone();
    }
  }
  const ready = reason.trim().length > 0 && (dry?.matched ?? 0) > 0 && (!allTenants || confirm === 'all tenants');
  return (
    <div className="flex flex-col gap-3 text-sm">
      <p>Filter: {summary} (set it with the filters on the page).</p>
      <Field label="At most (cap, up to 1000)" htmlFor="bulk-limit">
        <Input id="bulk-limit" type="number" min={1} max={1000} value={limit} onChange={(e) => setLimit(e.target.value)} />
      </Field>
      <Button variant="secondary" onClick={() => void run(true)}>
        Dry run
      </Button>
      {dry ? (
        <div role="status">
          <p>Dry run: {dry.matched} dead letters match.</p>
          {dry.byTenant?.length ? (
            <p>By tenant: {dry.byTenant.map((t) => `${t.tenantId.slice(0, 8)}… ${t.count ?? 0}`).join(', ')}</p>
          ) : null}
        </div>
      ) : null}
      {dry ? (
        <>
          {operator ? (
            <fieldset>
              <legend className="font-medium">Action</legend>
              <label className="mr-4">
                <input type="radio" name="bulk-action" checked={action === 'replay'} onChange={() => setAction('replay')} /> Replay
              </label>
              <label>
                <input type="radio" name="bulk-action" checked={action === 'discard'} onChange={() => setAction('discard')} /> Discard
              </label>
            </fieldset>
          ) : null}
          <Field label="Reason (required, audited)" htmlFor="bulk-reason">
            <Input id="bulk-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
          </Field>
          {allTenants ? (
            <Field label='No tenant filter: type "all tenants" to act on every active tenant' htmlFor="bulk-confirm">
              <Input id="bulk-confirm" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
            </Field>
          ) : null}
          <Button variant={action === 'discard' ? 'danger' : 'primary'} disabled={!ready} onClick={() => void run(false)}>
            {action === 'discard' ? 'Discard' : 'Replay'} {Math.min(dry.matched, Number(limit) || 0)} dead letters
          </Button>
        </>
      ) : null}
      {result ? (
        <p role="status">
          Done: {result.done ?? result.replayed ?? 0} of {result.matched} matching
          {result.remaining ? `; ${result.remaining} still match — run again to continue` : ''}.
        </p>
      ) : null}
      {error ? <ErrorPanel error={error} /> : null}
    </div>
  );
}
