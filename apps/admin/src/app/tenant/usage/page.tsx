'use client';

import { PageHeader } from '@/components/app-shell';
import { ErrorPanel, Time } from '@/components/feedback';
import { Card, Select } from '@/components/ui';
import { UsageChart } from '@/components/usage-chart';
import { useApi, useTitle, useUrlState } from '@/lib/hooks';
import { useSession } from '@/lib/session';
import type { UsageBucket } from '@/lib/types';

interface RateLimit {
  perMinute: { limit: number; burst: number; remaining: number };
  daily: { cap: number; used: number; remaining: number; resetsAt: string };
}

export default function TenantUsage() {
  const { user } = useSession();
  useTitle('Usage', user?.tenantName);
  const [params, setParams] = useUrlState();
  const granularity = params.get('granularity') === 'day' ? 'day' : 'hour';
  const usage = useApi<{ buckets: UsageBucket[] }>('/usage', { query: { granularity } });
  const rate = useApi<RateLimit>('/usage/rate-limit');
  return (
    <>
      <PageHeader title="Usage">
        <label htmlFor="granularity" className="self-center text-sm">
          Granularity
        </label>
        <Select id="granularity" value={granularity} onChange={(e) => setParams({ granularity: e.target.value })}>
          <option value="hour">Hourly (last 24 h)</option>
          <option value="day">Daily</option>
        </Select>
      </PageHeader>
      <p className="mb-3 text-sm">Live traffic only: sandbox sessions and their messages are not counted.</p>
      {usage.error ? <ErrorPanel error={usage.error} /> : null}
      <Card title="Notifications" className="mb-4">
        {usage.data ? <UsageChart buckets={usage.data.buckets} title="Notifications by status" /> : <p>Loading…</p>}
      </Card>
      <Card title="Limits">
        {rate.data ? (
          <ul className="text-sm">
            <li>
              Per minute: {rate.data.perMinute.limit} (burst {rate.data.perMinute.burst}), {rate.data.perMinute.remaining} requests
              available now
            </li>
            <li>
              Today: {rate.data.daily.used.toLocaleString('en')} of {rate.data.daily.cap.toLocaleString('en')} used; resets{' '}
              <Time value={rate.data.daily.resetsAt} />
            </li>
          </ul>
        ) : rate.error ? (
          <ErrorPanel error={rate.error} />
        ) : null}
      </Card>
    </>
  );
}
