'use client';

import { PageHeader } from '@/components/app-shell';
import { AuditView } from '@/components/views/audit-view';
import { useTitle } from '@/lib/hooks';
import { useSession } from '@/lib/session';

export default function TenantAudit() {
  const { user } = useSession();
  useTitle('Audit log', user?.tenantName);
  return (
    <>
      <PageHeader title="Audit log" />
      <AuditView operator={false} />
    </>
  );
}
