'use client';

import { ChangePasswordForm } from '@/components/change-password-form';
import { useTitle } from '@/lib/hooks';

export default function ChangePasswordPage() {
  useTitle('Change password');
  return <ChangePasswordForm />;
}
