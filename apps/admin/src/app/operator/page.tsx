'use client';

import Link from 'next/link';
import { PageHeader } from '@/components/app-shell';
import { ErrorPanel } from '@/components/feedback';
import { Card } from '@/components/ui';
import { UsageChart } from '@/components/usage-chart';
import { useApi, useTitle, useUrlState } from '@/lib/hooks';
import type { UsageBucket } from '@/lib/types';

interface Stats {
  from: string;
  to: string;
  buckets: UsageBucket[];
  totals: { byStatus: Record<string, number>; byChannel: Record<string, number> };
  tenants: Record<string, number>;
  eventsInRange: number;
  deadLettersWaiting: number;
}

const RANGES: Record<string, number> = { '24h': 24, '7d': 24 * 7 };

export default function OperatorOverview() {
  useTitle('Overview');
  const [params, setParams] = useUrlState();
  const range = params.get('range') === '7d' ? '7d' : '24h';
  const hours = RANGES[range] ?? 24;
  // Rounded to the minute so the query (and the URL) stays stable between renders.
  const to = new Date(Math.ceil(Date.now() / 60_000) * 60_000);
  const from = new Date(to.getTime() - hours * 3_600_000);
  const stats = useApi<Stats>('/stats', {
    query: { from: from.toISOString(), to: to.toISOString(), granularity: range === '7d' ? 'day' : 'hour' },
  });
  const s = stats.data;
  return (
    <>
      <PageHeader title="Platform overview">
        <label htmlFor="range" className="self-center text-sm">
          Range
        </label>
        <select
          id="range"
          className="rounded border border-slate-400 px-2 text-sm"
          value={range}
          onChange={(e) => setParams({ range: e.target.value })}
        >
          <option value="24h">Last 24 hours</option>
          <option value="7d">Last 7 days</option>
        </select>
      </PageHeader>
      {stats.error ? <ErrorPanel error={stats.error} /> : null}
      {s ? (
        <div className="flex flex-col gap-4">
          <div className="grid grid-cols-2 gap-3 md:grid-cols-5">
            <Tile label="Events accepted" value={s.eventsInRange} />
            <Tile label="Sent" value={(s.totals.byStatus.SENT ?? 0) + (s.totals.byStatus.DELIVERED ?? 0)} />
            <Tile label="Failed" value={s.totals.byStatus.FAILED ?? 0} href="/operator/logs?status=FAILED" />
            <Tile label="Retrying" value={s.totals.byStatus.RETRYING ?? 0} href="/operator/logs?status=RETRYING" />
            <Tile label="Dead letters waiting" value={s.deadLettersWaiting} href="/operator/dlq" />
          </div>
          <Card title="Outcomes">
            <UsageChart buckets={s.buckets} title="Notifications by status" />
          </Card>
          <Card title="Tenants by status">
            <ul className="flex gap-4 text-sm">
              {Object.entries(s.tenants).map(([k, v]) => (
                <li key={k}>
                  <Link className="text-blue-800 underline" href={`/operator/tenants?status=${k}`}>
                    {k}: {v}
                  </Link>
                </li>
              ))}
            </ul>
          </Card>
        </div>
      ) : null}
    </>
  );
}

function Tile({ label, value, href }: { label: string; value: number; href?: string }) {
  const body = (
    <>
      <p className="text-xs font-medium uppercase text-slate-700">{label}</p>
      <p className="text-2xl font-semibold">{value.toLocaleString('en')}</p>
    </>
  );
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-3">
      {href ? (
        <Link href={href} className="block">
          {body}
        </Link>
      ) : (
        body
      )}
    </div>
  );
}
