import type { ReactNode } from 'react';
import { AppShell } from '@/components/app-shell';

export default function TenantLayout({ children }: { children: ReactNode }) {
  return <AppShell realm="tenant">{children}</AppShell>;
}
