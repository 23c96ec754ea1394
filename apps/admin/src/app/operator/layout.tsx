import type { ReactNode } from 'react';
import { AppShell } from '@/components/app-shell';

export default function OperatorLayout({ children }: { children: ReactNode }) {
  return <AppShell realm="admin">{children}</AppShell>;
}
