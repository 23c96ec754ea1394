'use client';

import { useState } from 'react';
import { CopyId, ErrorPanel, ShownOnce, Time } from '@/components/feedback';
import { Button, Card, Field, Input, StatusBadge, Table, Td, Th } from '@/components/ui';
import type { ApiError } from '@/lib/api';
import { useApi } from '@/lib/hooks';
import { useSession } from '@/lib/session';
import type { ApiKey } from '@/lib/types';

/**
 * API keys and the webhook secret of one tenant. `base` is '' for a tenant admin (routes under
 * /api/v1/tenant) or '/tenants/<id>' for an operator. New keys and secrets are shown once; old ones
 * keep working through their grace period, shown as a date.
 */
export function KeysPanel({ base, canWrite }: { base: string; canWrite: boolean }) {
  const { call } = useSession();
  const keys = useApi<ApiKey[]>(`${base}/api-keys`);
  const secret = useApi<{ set: boolean; previousValidUntil: string | null }>(`${base}/webhook-secret`);
  const [grace, setGrace] = useState('24');
  const [shown, setShown] = useState<{ label: string; value: string } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  async function act(
    path: string,
    method: string,
    body: unknown,
    pick: (d: Record<string, unknown>) => { label: string; value: string } | null,
  ) {
    const r = await call<Record<string, unknown>>(`${base}${path}`, { method, body });
    if (!r.ok) return setError(r.error);
    setError(null);
    setShown(pick(r.data ?? {}));
    keys.reload();
    secret.reload();
  }

  return (
    <div className="flex flex-col gap-4">
      {shown ? <ShownOnce label={shown.label} value={shown.value} /> : null}
      {error ? <ErrorPanel error={error} /> : null}
      <Card title="API keys">
        {keys.error ? <ErrorPanel error={keys.error} /> : null}
        <Table caption="API keys">
          <thead>
            <tr>
              <Th>Prefix</Th>
              <Th>State</Th>
              <Th>Created</Th>
              <Th>Expires (grace)</Th>
              <Th>Last used</Th>
            </tr>
          </thead>
          <tbody>
            {(keys.data ?? []).map((k) => (
              <tr key={k.id}>
                <Td>
                  <code className="font-mono text-xs">{k.displayPrefix}…</code>
                </Td>
                <Td>
                  <StatusBadge status={k.state} />
                </Td>
                <Td>
                  <Time value={k.createdAt} />
                </Td>
                <Td>
                  <Time value={k.expiresAt} />
                </Td>
                <Td>
                  <Time value={k.lastUsedAt} />
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
        {canWrite ? (
          <div className="mt-3 flex items-end gap-2">
            <Field label="Grace for the old key (hours, 0 revokes now)" htmlFor="key-grace">
              <Input
                id="key-grace"
                type="number"
                min={0}
                max={168}
                className="w-32"
                value={grace}
                onChange={(e) => setGrace(e.target.value)}
              />
            </Field>
            <Button
              onClick={() =>
                void act('/api-keys/rotate', 'POST', { graceHours: Number(grace) }, (d) => ({
                  label: 'New API key',
                  value: String(d.apiKey),
                }))
              }
            >
              Rotate API key
            </Button>
          </div>
        ) : null}
      </Card>
      <Card title="Webhook signing secret">
        <p className="text-sm">
          {secret.data?.set ? 'Set: every POST to the events API must carry X-Orqestra-Signature.' : 'Not set: requests are not signed.'}
          {secret.data?.previousValidUntil ? (
            <>
              {' '}
              The previous secret still verifies until <Time value={secret.data.previousValidUntil} />.
            </>
          ) : null}
        </p>
        {canWrite ? (
          <div className="mt-3 flex gap-2">
            {secret.data?.set ? (
              <Button
                onClick={() =>
                  void act('/webhook-secret/rotate', 'POST', { graceHours: Number(grace) }, (d) => ({
                    label: 'New webhook secret',
                    value: String(d.webhookSecret),
                  }))
                }
              >
                Rotate webhook secret
              </Button>
            ) : (
              <Button
                onClick={() => void act('/webhook-secret', 'PUT', {}, (d) => ({ label: 'Webhook secret', value: String(d.webhookSecret) }))}
              >
                Generate webhook secret
              </Button>
            )}
          </div>
        ) : null}
        <h3 className="mt-4 text-sm font-semibold">Signing a request (Node.js)</h3>
        <pre tabIndex={0} className="mt-1 overflow-auto rounded bg-slate-100 p-2 text-xs">{`import { createHmac } from 'node:crypto';
const body = JSON.stringify(event);
const signature = createHmac('sha256', process.env.ORQESTRA_WEBHOOK_SECRET).update(body).digest('hex');
await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json',
  'x-api-key': apiKey, 'x-orqestra-signature': signature } });`}</pre>
        <p className="mt-1 text-xs">
          Header <CopyId value="X-Orqestra-Signature" label="header name" />: hex HMAC-SHA256 of the raw body.
        </p>
      </Card>
    </div>
  );
}
