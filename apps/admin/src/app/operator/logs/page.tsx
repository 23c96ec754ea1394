'use client';

import { PageHeader } from '@/components/app-shell';
import { LogsView } from '@/components/views/logs-view';
import { useTitle } from '@/lib/hooks';

export default function OperatorLogs() {
  useTitle('Logs', 'All tenants');
  return (
    <>
      <PageHeader title="Logs (all tenants)" />
      <LogsView operator />
    </>
  );
}
