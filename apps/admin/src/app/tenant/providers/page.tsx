'use client';

import { useState } from 'react';
import { Switch } from 'radix-ui';
import { PageHeader } from '@/components/app-shell';
import { Drawer, Modal } from '@/components/drawer';
import { CopyId, Empty, ErrorPanel, Time } from '@/components/feedback';
import { Button, Card, Field, Input, Select, StatusBadge } from '@/components/ui';
import type { ApiError } from '@/lib/api';
import { useApi, useTitle, useUrlState } from '@/lib/hooks';
import { credentialsFrom, PROVIDER_FORMS } from '@/lib/provider-forms';
import { useSession } from '@/lib/session';
import type { ProviderConfig } from '@/lib/types';

const TEST_MEANING: Record<string, string> = {
  INVALID_CREDENTIALS: 'the vendor refused the credentials: paste them again',
  INSUFFICIENT_PERMISSIONS: 'the key is valid but may not send: widen its permissions at the vendor',
  ACCOUNT_INACTIVE: 'the vendor account is suspended or unpaid',
  VENDOR_RATE_LIMITED: 'the vendor throttled the check: try again in a minute',
  UNREACHABLE: 'the vendor could not be reached: check the base URL or the network',
  VENDOR_ERROR: 'the vendor answered with an error: try again later',
  BASE_URL_REFUSED: 'the base URL is not allowed: ask your operator',
};

export default function ProvidersPage() {
  const { user, call } = useSession();
  useTitle('Providers', user?.tenantName);
  const admin = user?.role === 'admin';
  const list = useApi<ProviderConfig[]>(admin ? '/providers' : null);
  const [params, setParams] = useUrlState();
  const adding = params.get('add') === '1';
  const [tests, setTests] = useState<Record<string, { ok: boolean; code?: string }>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [deleting, setDeleting] = useState<ProviderConfig | null>(null);

  if (!admin) {
    return (
      <>
        <PageHeader title="Providers" />
        <p>Providers are managed by your tenant&apos;s admins.</p>
      </>
    );
  }
  const patch = (p: ProviderConfig, body: Record<string, unknown>) =>
    void call(`/providers/${p.id}`, { method: 'PATCH', body }).then((r) => {
      if (!r.ok) setError(r.error);
      list.reload();
    });
  const byChannel = ['EMAIL', 'SMS'].map((c) => ({
    channel: c,
    items: (list.data ?? []).filter((p) => p.channel === c).sort((a, b) => a.priority - b.priority),
  }));
  return (
    <>
      <PageHeader title="Providers">
        <Button onClick={() => setParams({ add: '1' })}>Add provider</Button>
      </PageHeader>
      {list.error ? <ErrorPanel error={list.error} /> : null}
      {error ? <ErrorPanel error={error} /> : null}
      {list.data?.length === 0 ? (
        <Empty title="No provider connected">Add one: events on a channel without a provider are skipped with NO_PROVIDER.</Empty>
      ) : null}
      <div className="flex flex-col gap-4">
        {byChannel
          .filter((g) => g.items.length > 0)
          .map((g) => (
            <Card key={g.channel} title={`${g.channel} providers (tried in this order)`}>
              <ol className="flex flex-col gap-2">
                {g.items.map((p, i) => {
                  const label = `${PROVIDER_FORMS[p.provider]?.label ?? p.provider} (${(p.settings as { label?: string } | undefined)?.label ?? p.id.slice(0, 8)})`;
                  const test = tests[p.id];
                  return (
                    <li key={p.id} className="rounded border border-slate-200 p-3 text-sm" data-testid={`provider-${p.id}`}>
                      <div className="flex flex-wrap items-center gap-3">
                        <strong>{label}</strong>
                        <CopyId value={p.id} label="provider config id" />
                        <span>secret ending …{p.credentialsLast4}</span>
                        <span>priority {p.priority}</span>
                        <label className="flex items-center gap-1">
                          <Switch.Root
                            checked={p.enabled}
                            onCheckedChange={(v) => patch(p, { enabled: v })}
                            aria-label={`Enabled: ${label}`}
                            className="h-5 w-9 rounded-full bg-slate-400 data-[state=checked]:bg-green-700"
                          >
                            <Switch.Thumb className="block h-4 w-4 translate-x-0.5 rounded-full bg-white transition data-[state=checked]:translate-x-4" />
                          </Switch.Root>
                          {p.enabled ? 'Enabled' : 'Paused'}
                        </label>
                      </div>
                      <div className="mt-2 flex flex-wrap gap-2">
                        <Button
                          variant="secondary"
                          disabled={i === 0}
                          onClick={() => patch(p, { priority: Math.max(0, (g.items[i - 1]?.priority ?? 0) - 1) })}
                          aria-label={`Move ${label} up`}
                        >
                          ↑ Up
                        </Button>
                        <Button
                          variant="secondary"
                          disabled={i === g.items.length - 1}
                          onClick={() => patch(p, { priority: (g.items[i + 1]?.priority ?? 0) + 1 })}
                          aria-label={`Move ${label} down`}
                        >
                          ↓ Down
                        </Button>
                        <Button
                          variant="secondary"
                          onClick={() =>
                            void call<{ ok: boolean; code?: string }>(`/providers/${p.id}/test`, { method: 'POST' }).then((r) => {
                              if (r.ok) setTests((t) => ({ ...t, [p.id]: r.data }));
                              else setError(r.error);
                            })
                          }
                        >
                          Test connection
                        </Button>
                        <Button variant="danger" onClick={() => setDeleting(p)}>
                          Delete
                        </Button>
                      </div>
                      {test ? (
                        <p role="status" className="mt-2">
                          {test.ok ? (
                            <StatusBadge status="OK" />
                          ) : (
                            <>
                              <StatusBadge status="FAILED" /> <code className="font-mono">{test.code}</code>:{' '}
                              {TEST_MEANING[test.code ?? ''] ?? 'see docs/providers.md'}
                            </>
                          )}
                        </p>
                      ) : null}
                      {p.breaker ? (
                        <p className="mt-1">
                          Breaker <StatusBadge status={p.breaker.state.toUpperCase().replace('-', '_')} />
                          {p.breaker.state === 'open' ? ' — the gateways skip this provider and fail over until ' : null}
                          {p.breaker.state === 'open' && p.breaker.openUntil ? <Time value={p.breaker.openUntil} /> : null}
                          {p.breaker.state === 'unknown' ? ' — no gateway called it in the last 5 minutes' : null}
                          {p.breaker.lastError ? (
                            <>
                              {' '}
                              · last error <code className="font-mono">{p.breaker.lastError.code}</code> {p.breaker.lastError.message ?? ''}{' '}
                              {p.breaker.lastError.at ? <Time value={p.breaker.lastError.at} /> : null}
                            </>
                          ) : null}
                        </p>
                      ) : null}
                      {p.baseUrlOverride ? <p className="mt-1">Base URL (set by an operator): {p.baseUrlOverride}</p> : null}
                    </li>
                  );
                })}
              </ol>
            </Card>
          ))}
      </div>
      <Drawer open={adding} onOpenChange={(o) => setParams({ add: o ? '1' : null })} title="Add provider">
        <AddProvider
          onAdded={() => {
            list.reload();
            setParams({ add: null });
          }}
        />
      </Drawer>
      <Modal open={deleting !== null} onOpenChange={(o) => (o ? undefined : setDeleting(null))} title="Delete provider?">
        <p className="mb-3 text-sm">
          {deleting
            ? `${deleting.channel} loses this provider; if it was the last enabled one, ${deleting.channel} notifications are skipped with NO_PROVIDER.`
            : ''}
        </p>
        <Button
          variant="danger"
          onClick={() =>
            void call(`/providers/${deleting?.id}`, { method: 'DELETE' }).then((r) => {
              if (!r.ok) setError(r.error);
              setDeleting(null);
              list.reload();
            })
          }
        >
          Delete provider
        </Button>
      </Modal>
    </>
  );
}

function AddProvider({ onAdded }: { onAdded: () => void }) {
  const { call } = useSession();
  const [provider, setProvider] = useState('resend');
  const [values, setValues] = useState<Record<string, string>>({});
  const [label, setLabel] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const form = PROVIDER_FORMS[provider];
  return (
    <form
      className="flex flex-col gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        if (!form) return;
        void call('/providers', {
          method: 'POST',
          body: {
            channel: form.channel,
            provider,
            credentials: credentialsFrom(provider, values),
            ...(label ? { settings: { label } } : {}),
          },
        }).then((r) => {
          if (!r.ok) return setError(r.error);
          onAdded();
        });
      }}
    >
      <Field label="Provider" htmlFor="provider-kind">
        <Select
          id="provider-kind"
          value={provider}
          onChange={(e) => {
            setProvider(e.target.value);
            setValues({});
          }}
        >
          {Object.entries(PROVIDER_FORMS).map(([id, f]) => (
            <option key={id} value={id}>
              {f.label} ({f.channel})
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Label (for you)" htmlFor="provider-label">
        <Input id="provider-label" value={label} onChange={(e) => setLabel(e.target.value)} />
      </Field>
      {form?.fields.map((f) => (
        <Field
          key={f.name}
          label={`${f.label}${f.required ? '' : ' (optional)'}`}
          htmlFor={`cred-${f.name}`}
          hint={f.type === 'secret' ? 'Write-only: stored encrypted, never shown again (only its last 4).' : undefined}
        >
          {f.type === 'select' ? (
            <Select id={`cred-${f.name}`} value={values[f.name] ?? ''} onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}>
              <option value="">Choose…</option>
              {f.options?.map((o) => (
                <option key={o}>{o}</option>
              ))}
            </Select>
          ) : f.type === 'boolean' ? (
            <input
              id={`cred-${f.name}`}
              type="checkbox"
              checked={values[f.name] === 'true'}
              onChange={(e) => setValues({ ...values, [f.name]: String(e.target.checked) })}
            />
          ) : (
            <Input
              id={`cred-${f.name}`}
              type={f.type === 'secret' ? 'password' : f.type === 'number' ? 'number' : 'text'}
              autoComplete="off"
              required={f.required}
              value={values[f.name] ?? ''}
              onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}
            />
          )}
        </Field>
      ))}
      {error ? <ErrorPanel error={error} /> : null}
      <Button type="submit">Save provider</Button>
      <p className="text-xs">After saving, use Test connection on the provider to check the credentials with the vendor.</p>
    </form>
  );
}
