'use client';

import { PageHeader } from '@/components/app-shell';
import { DlqView } from '@/components/views/dlq-view';
import { useTitle } from '@/lib/hooks';
import { useSession } from '@/lib/session';

export default function TenantDlq() {
  const { user } = useSession();
  useTitle('Dead letters', user?.tenantName);
  return (
    <>
      <PageHeader title="Dead letters" />
      <DlqView operator={false} />
    </>
  );
}
