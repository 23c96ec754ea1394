'use client';

import { PageHeader } from '@/components/app-shell';
import { AuditView } from '@/components/views/audit-view';
import { useTitle } from '@/lib/hooks';

export default function OperatorAudit() {
  useTitle('Audit log', 'Platform');
  return (
    <>
      <PageHeader title="Audit log" />
      <AuditView operator />
    </>
  );
}
