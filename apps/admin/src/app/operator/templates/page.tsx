'use client';

import { PageHeader } from '@/components/app-shell';
import { Empty, ErrorPanel, Time } from '@/components/feedback';
import { StatusBadge, Table, Td, Th } from '@/components/ui';
import { useApi, useTitle } from '@/lib/hooks';
import type { TemplateSummary } from '@/lib/types';

export default function GlobalTemplates() {
  useTitle('Global templates');
  const list = useApi<TemplateSummary[]>('/global-templates', { query: { limit: 200 } });
  return (
    <>
      <PageHeader title="Global templates" />
      <p className="mb-3 text-sm">Templates of the global.* event types serve every tenant that has no template of its own for the same event type, channel and locale.</p>
      {list.error ? <ErrorPanel error={list.error} /> : null}
      {list.data?.length === 0 ? <Empty title="No global templates yet" /> : null}
      {list.data && list.data.length > 0 ? (
        <Table caption="Global templates">
          <thead>
            <tr>
              <Th>Event type</Th>
              <Th>Channel</Th>
              <Th>Locale</Th>
              <Th>Active version</Th>
              <Th>Latest version</Th>
              <Th>Updated</Th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((t) => (
              <tr key={t.id}>
                <Td>{t.eventType}</Td>
                <Td>{t.channel}</Td>
                <Td>{t.locale}</Td>
                <Td>{t.activeVersion === null ? <StatusBadge status="inactive" /> : `v${t.activeVersion}`}</Td>
                <Td>{t.latestVersion === null ? '—' : `v${t.latestVersion}`}</Td>
                <Td>
                  <Time value={t.updatedAt} />
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
    </>
  );
}
