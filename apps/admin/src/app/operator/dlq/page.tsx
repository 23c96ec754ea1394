'use client';

import { PageHeader } from '@/components/app-shell';
import { DlqView } from '@/components/views/dlq-view';
import { useTitle } from '@/lib/hooks';

export default function OperatorDlq() {
  useTitle('Dead letters', 'All tenants');
  return (
    <>
      <PageHeader title="Dead letters (all tenants)" />
      <DlqView operator />
    </>
  );
}
