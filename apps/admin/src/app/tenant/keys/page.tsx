'use client';

import { PageHeader } from '@/components/app-shell';
import { KeysPanel } from '@/components/views/keys-panel';
import { useTitle } from '@/lib/hooks';
import { useSession } from '@/lib/session';

export default function TenantKeys() {
  const { user } = useSession();
  useTitle('Keys & secrets', user?.tenantName);
  return (
    <>
      <PageHeader title="Keys & secrets" />
      <KeysPanel base="" canWrite={user?.role === 'admin'} />
    </>
  );
}
