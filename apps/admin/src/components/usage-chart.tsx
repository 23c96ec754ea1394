'use client';

import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { Button, Table, Td, Th } from './ui';
import type { UsageBucket } from '@/lib/types';

const COLOURS: Record<string, string> = {
  SENT: '#15803d',
  DELIVERED: '#166534',
  FAILED: '#b91c1c',
  RETRYING: '#b45309',
  PENDING: '#475569',
  BOUNCED: '#7f1d1d',
  SENDING: '#1d4ed8',
};

/** Stacked bars of notifications by status over time, with a table view of the same numbers. */
export function UsageChart({ buckets, title }: { buckets: UsageBucket[]; title: string }) {
  const [asTable, setAsTable] = useState(false);
  const statuses = [...new Set(buckets.map((b) => b.status))].sort();
  const byStart = new Map<string, Record<string, number | string>>();
  for (const b of buckets) {
    const row = byStart.get(b.start) ?? { start: b.start.slice(0, 16).replace('T', ' ') };
    row[b.status] = (Number(row[b.status]) || 0) + b.count;
    byStart.set(b.start, row);
  }
  const rows = [...byStart.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, r]) => r);
  return (
    <figure>
      <figcaption className="mb-2 flex items-center justify-between">
        <span className="font-semibold">{title} (UTC)</span>
        <Button variant="secondary" aria-pressed={asTable} onClick={() => setAsTable(!asTable)}>
          {asTable ? 'Show chart' : 'Show table'}
        </Button>
      </figcaption>
      {rows.length === 0 ? (
        <p>No notifications in this range.</p>
      ) : asTable ? (
        <Table caption={title}>
          <thead>
            <tr>
              <Th>Period start (UTC)</Th>
              {statuses.map((s) => (
                <Th key={s}>{s}</Th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={String(r.start)}>
                <Td>{String(r.start)}</Td>
                {statuses.map((s) => (
                  <Td key={s}>{Number(r[s] ?? 0)}</Td>
                ))}
              </tr>
            ))}
          </tbody>
        </Table>
      ) : (
        <BarChart width={720} height={260} data={rows} accessibilityLayer>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="start" />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Legend />
          {statuses.map((s) => (
            <Bar key={s} dataKey={s} stackId="status" fill={COLOURS[s] ?? '#334155'} />
          ))}
        </BarChart>
      )}
    </figure>
  );
}
