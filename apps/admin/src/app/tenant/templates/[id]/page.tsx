'use client';

import { useParams } from 'next/navigation';
import { TemplateEditor, TENANT_TEMPLATES } from '@/components/views/template-editor';
import { useApi } from '@/lib/hooks';
import { useSession } from '@/lib/session';
import type { TemplateSummary } from '@/lib/types';

/** A tenant's template in the split editor (components/views/template-editor.tsx); viewers read it only. */
export default function TenantTemplateEditor() {
  const { id } = useParams<{ id: string }>();
  const { user } = useSession();
  const list = useApi<TemplateSummary[]>('/templates', { query: { limit: 200 } });
  return (
    <TemplateEditor
      id={id}
      target={{ ...TENANT_TEMPLATES, titleSuffix: user?.tenantName }}
      summary={{ data: list.data?.find((t) => t.id === id), reload: list.reload }}
      canEdit={user?.role === 'admin'}
    />
  );
}
