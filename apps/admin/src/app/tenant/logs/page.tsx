'use client';

import { PageHeader } from '@/components/app-shell';
import { LogsView } from '@/components/views/logs-view';
import { useTitle } from '@/lib/hooks';
import { useSession } from '@/lib/session';

export default function TenantLogs() {
  const { user } = useSession();
  useTitle('Logs', user?.tenantName);
  return (
    <>
      <PageHeader title="Logs" />
      <LogsView operator={false} />
    </>
  );
}
