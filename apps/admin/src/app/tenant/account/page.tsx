'use client';

import { PageHeader } from '@/components/app-shell';
import { ChangePasswordForm } from '@/components/change-password-form';
import { Card } from '@/components/ui';
import { useTitle } from '@/lib/hooks';
import { useSession } from '@/lib/session';

export default function TenantAccount() {
  const { user } = useSession();
  useTitle('Account', user?.tenantName);
  return (
    <>
      <PageHeader title="Account" />
      <Card title="Profile" className="mb-4">
        <p className="text-sm">
          {user?.email} · {user?.tenantName} · role <strong>{user?.role}</strong>
        </p>
      </Card>
      <Card title="Change password">
        <ChangePasswordForm embedded />
      </Card>
    </>
  );
}
