'use client';

import Link from 'next/link';
import { useParams } from 'next/navigation';
import { GLOBAL_TEMPLATES, TemplateEditor } from '@/components/views/template-editor';
import { useApi } from '@/lib/hooks';
import type { TemplateSummary } from '@/lib/types';

/** A global template in the same split editor tenants use; operators change it for every tenant that does not override it. */
export default function GlobalTemplateEditor() {
  const { id } = useParams<{ id: string }>();
  const template = useApi<TemplateSummary>(`/global-templates/${encodeURIComponent(id)}`);
  const overriddenBy = template.data?.overriddenBy ?? 0;
  return (
    <TemplateEditor
      id={id}
      target={{ ...GLOBAL_TEMPLATES, titleSuffix: 'Platform' }}
      summary={{ data: template.data ?? undefined, reload: template.reload }}
      canEdit
      banner={
        template.data ? (
          <p role="note" className="mb-3 rounded border border-blue-300 bg-blue-50 p-2 text-sm text-blue-950">
            A global template: a saved and activated version serves every tenant without a template of its own for {template.data.eventType}
            , {template.data.channel}, {template.data.locale}.{' '}
            {overriddenBy === 0
              ? 'No tenant overrides it.'
              : `${overriddenBy} tenant${overriddenBy === 1 ? ' overrides' : 's override'} it with an active template of their own, and keep${overriddenBy === 1 ? 's' : ''} theirs.`}{' '}
            <Link className="text-blue-800 underline" href="/operator/templates">
              Back to global templates
            </Link>
          </p>
        ) : null
      }
    />
  );
}
