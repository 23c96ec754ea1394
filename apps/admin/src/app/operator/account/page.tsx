'use client';

import { PageHeader } from '@/components/app-shell';
import { ChangePasswordForm } from '@/components/change-password-form';
import { Card } from '@/components/ui';
import { useTitle } from '@/lib/hooks';
import { useSession } from '@/lib/session';

export default function OperatorAccount() {
  useTitle('Account');
  const { user } = useSession();
  return (
    <>
      <PageHeader title="Account" />
      <Card title="Profile" className="mb-4">
        <p className="text-sm">
          {user?.username ?? user?.email} · role <strong>{user?.role}</strong>
        </p>
      </Card>
      <Card title="Change password">
        <ChangePasswordForm embedded />
      </Card>
    </>
  );
}
