'use client';

import { useEffect, useState } from 'react';
import { PageHeader } from '@/components/app-shell';
import { ErrorPanel, Time } from '@/components/feedback';
import { Button, Card, StatusBadge, Table, Td, Th } from '@/components/ui';
import { useApi, useTitle } from '@/lib/hooks';
import type { SystemReport } from '@/lib/types';

interface ConsoleInfo {
  version?: string;
  node?: string;
  startedAt?: string;
}

const duration = (seconds: number) =>
  seconds % 3600 === 0 ? `${seconds / 3600} h` : seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;

/**
 * ADMIN-UI §5.2 System: what the API found when it asked each component just now (GET /system,
 * every probe within 2 s), this console's own version, the active encryption key with the secrets
 * still sealed with older keys, retention, and where metrics and the API reference are.
 */
export default function SystemPage() {
  useTitle('System', 'Platform');
  const report = useApi<SystemReport>('/system');
  const [consoleInfo, setConsoleInfo] = useState<ConsoleInfo | null>(null);
  useEffect(() => {
    void fetch('/healthz', { cache: 'no-store' })
      .then((r) => (r.ok ? (r.json() as Promise<ConsoleInfo>) : null))
      .then(setConsoleInfo, () => setConsoleInfo(null));
  }, []);
  const data = report.data;
  return (
    <>
      <PageHeader title="System">
        <Button variant="secondary" onClick={() => report.reload()} disabled={report.loading}>
          Check again
        </Button>
      </PageHeader>
      <p className="mb-3 text-sm" aria-live="polite">
        {report.loading ? (
          'Asking every component…'
        ) : data ? (
          <>
            Checked at <Time value={data.checkedAt} />: each component was asked just now and had 2 seconds to answer.
          </>
        ) : null}
      </p>
      {report.error ? <ErrorPanel error={report.error} title="The system report could not be read" /> : null}
      {data ? (
        <div className="flex flex-col gap-4">
          <Card title="Services">
            <Table caption="Orqestra services">
              <thead>
                <tr>
                  <Th>Service</Th>
                  <Th>Status</Th>
                  <Th>Version</Th>
                  <Th>Node.js</Th>
                  <Th>Started</Th>
                  <Th>Its own checks</Th>
                </tr>
              </thead>
              <tbody>
                {data.services.map((s) => (
                  <tr key={s.name}>
                    <Td>
                      <span className="font-medium">{s.name}</span>
                      {s.url ? (
                        <span className="block font-mono text-xs">{s.url}</span>
                      ) : (
                        <span className="block text-xs">the API that answered</span>
                      )}
                    </Td>
                    <Td>
                      <StatusBadge status={s.status} />
                      {s.error ? <span className="block text-xs text-red-900">{s.error}</span> : null}
                    </Td>
                    <Td>{s.version ?? (s.status === 'unreachable' ? '—' : 'not reported')}</Td>
                    <Td>{s.node ?? '—'}</Td>
                    <Td>
                      <Time value={s.startedAt} />
                    </Td>
                    <Td className="text-xs">
                      {s.checks
                        ? Object.entries(s.checks)
                            .map(([k, v]) => `${k}: ${v}`)
                            .join(', ')
                        : '—'}
                    </Td>
                  </tr>
                ))}
                <tr>
                  <Td>
                    <span className="font-medium">console</span>
                    <span className="block text-xs">this page&rsquo;s server</span>
                  </Td>
                  <Td>{consoleInfo ? <StatusBadge status="ok" /> : <StatusBadge status="unknown" />}</Td>
                  <Td>{consoleInfo?.version ?? '—'}</Td>
                  <Td>{consoleInfo?.node ?? '—'}</Td>
                  <Td>
                    <Time value={consoleInfo?.startedAt} />
                  </Td>
                  <Td>—</Td>
                </tr>
              </tbody>
            </Table>
            {data.services.length === 1 ? (
              <p className="mt-2 text-sm">
                No other service is probed: set SYSTEM_PROBE_URLS on the API (name=url pairs of their operations endpoints).
              </p>
            ) : null}
          </Card>
          <Card title="Infrastructure">
            <Table caption="Infrastructure the services depend on">
              <thead>
                <tr>
                  <Th>Component</Th>
                  <Th>Status</Th>
                  <Th>Version</Th>
                  <Th>Answered in</Th>
                </tr>
              </thead>
              <tbody>
                {data.dependencies.map((d) => (
                  <tr key={d.name}>
                    <Td className="font-medium">
                      {{ postgresql: 'PostgreSQL', redis: 'Redis', kafka: 'Kafka', centrifugo: 'Centrifugo' }[d.name] ?? d.name}
                    </Td>
                    <Td>
                      <StatusBadge status={d.status} />
                      {d.error ? <span className="block text-xs text-red-900">{d.error}</span> : null}
                    </Td>
                    <Td>{d.version ?? (d.status === 'ok' ? 'not reported (Kafka has no version request)' : '—')}</Td>
                    <Td>{d.latencyMs} ms</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          </Card>
          <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
            <Card title="Encryption">
              <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
                <dt className="font-medium">Active key id</dt>
                <dd>
                  <code className="font-mono">{data.encryption.activeKeyId}</code>
                </dd>
                <dt className="font-medium">Secrets at rest</dt>
                <dd>
                  {data.encryption.secretsByKey.length === 0
                    ? 'none yet'
                    : data.encryption.secretsByKey.map((s) => `${s.count} sealed with ${s.keyId}`).join(', ')}
                </dd>
                <dt className="font-medium">Re-encryption</dt>
                <dd>
                  {data.encryption.awaitingReencryption === 0
                    ? 'Done: every secret is sealed with the active key.'
                    : `${data.encryption.awaitingReencryption} secret(s) still sealed with an older key: run credentials re-encrypt (the operator CLI).`}
                </dd>
              </dl>
            </Card>
            <Card title="Retention">
              <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
                <dt className="font-medium">Logs, attempts, dead letters, captured and inbox messages, audit</dt>
                <dd>
                  {data.retention.automaticPurge ? 'Purged automatically' : 'Kept until removed by hand: no automatic purge runs yet.'}
                </dd>
                <dt className="font-medium">Idempotency keys answer repeats for</dt>
                <dd>{duration(data.retention.idempotencyWindowSeconds)}</dd>
                <dt className="font-medium">Sandbox sessions last</dt>
                <dd>{duration(data.retention.sandboxSessionTtlSeconds)}</dd>
                <dt className="font-medium">Realtime tokens last</dt>
                <dd>{duration(data.retention.realtimeTokenTtlSeconds)}</dd>
              </dl>
            </Card>
          </div>
          <Card title="Metrics and reference">
            <ul className="flex flex-col gap-1 text-sm">
              <li>
                <a className="text-blue-800 underline" href={data.links.docs}>
                  API reference (/api/docs)
                </a>
              </li>
              {data.links.metrics.map((m) => (
                <li key={m.name}>
                  <a className="text-blue-800 underline" href={m.url}>
                    Prometheus metrics of {m.name}
                  </a>{' '}
                  <code className="font-mono text-xs">{m.url}</code>
                </li>
              ))}
            </ul>
            <p className="mt-2 text-xs">
              The metrics endpoints are served by each process on its own address (for Prometheus); from a browser they open only where that
              address is reachable.
            </p>
          </Card>
        </div>
      ) : null}
    </>
  );
}
