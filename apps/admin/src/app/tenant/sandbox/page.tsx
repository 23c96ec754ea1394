'use client';

import { useEffect, useState } from 'react';
import { PageHeader } from '@/components/app-shell';
import { Drawer } from '@/components/drawer';
import { CopyId, Empty, ErrorPanel, ShownOnce, Time } from '@/components/feedback';
import { SafePreview } from '@/components/safe-preview';
import { Button, Card, Field, Input, Table, Td, Th } from '@/components/ui';
import type { ApiError } from '@/lib/api';
import { useApi, useTitle, useUrlState } from '@/lib/hooks';
import { useSession } from '@/lib/session';

interface Session {
  sessionId: string;
  keyPrefix: string;
  allowedIp: string | null;
  deviceBound: boolean;
  createdAt: string;
  expiresAt: string;
}
interface Captured {
  id: string;
  notificationId: string;
  channel: string;
  eventType: string | null;
  recipient: string | null;
  content: { subject?: string; html?: string; text?: string; [k: string]: unknown };
  capturedAt: string;
}

export default function SandboxPage() {
  const { user, call } = useSession();
  useTitle('Sandbox', user?.tenantName);
  const admin = user?.role === 'admin';
  const sessions = useApi<Session[]>('/sandbox/sessions');
  const [params, setParams] = useUrlState();
  const selected = params.get('session') ?? sessions.data?.[0]?.sessionId ?? null;
  const [allowedIp, setAllowedIp] = useState('');
  const [started, setStarted] = useState<{ apiKey: string; allowedIp: string } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  return (
    <>
      <PageHeader title="Sandbox" />
      <p className="mb-3 text-sm">
        Events sent with a sandbox key (oq_test_…) run the whole pipeline but every channel is captured here instead of sent. Sessions last
        two hours.
      </p>
      {admin ? (
        <Card title="Start a session" className="mb-4">
          <form
            className="flex flex-wrap items-end gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              void call<{ sessionId: string; apiKey: string; allowedIp: string }>('/sandbox/sessions', {
                method: 'POST',
                body: allowedIp.trim() ? { allowedIp: allowedIp.trim() } : {},
              }).then((r) => {
                if (!r.ok) return setError(r.error);
                setError(null);
                setStarted(r.data);
                sessions.reload();
                setParams({ session: r.data.sessionId });
              });
            }}
          >
            <Field label="Allowed IP or CIDR (empty: the address you are calling from)" htmlFor="sandbox-ip">
              <Input id="sandbox-ip" className="w-80" value={allowedIp} onChange={(e) => setAllowedIp(e.target.value)} />
            </Field>
            <Button type="submit">Start sandbox session</Button>
          </form>
          {error ? <ErrorPanel error={error} /> : null}
          {started ? (
            <div className="mt-3 flex flex-col gap-2">
              <ShownOnce label="Sandbox key" value={started.apiKey} />
              <p className="text-sm">Bound to {started.allowedIp}. Try it:</p>
              <pre
                tabIndex={0}
                className="overflow-auto rounded bg-slate-100 p-2 text-xs"
              >{`curl -s -X POST ${typeof window === 'undefined' ? '' : window.location.origin.replace(/:\d+$/, ':3000')}/api/v1/events/trigger -H 'x-api-key: <the sandbox key>' \\
  -H 'content-type: application/json' \\
  -d '{"eventType":"global.info","channels":["EMAIL"],"payload":{"userId":"u-1","recipientEmail":"ada@example.com"},"variables":{"title":"Hi","message":"From the sandbox"}}'`}</pre>
            </div>
          ) : null}
        </Card>
      ) : null}
      <Card title="Live sessions" className="mb-4">
        {sessions.data?.length === 0 ? <Empty title="No live session" /> : null}
        <ul className="flex flex-col gap-2 text-sm">
          {(sessions.data ?? []).map((s) => (
            <li key={s.sessionId} className="flex flex-wrap items-center gap-2">
              <button
                type="button"
                className="text-blue-800 underline"
                aria-current={s.sessionId === selected}
                onClick={() => setParams({ session: s.sessionId })}
              >
                {s.keyPrefix}…
              </button>
              <span>bound to {s.allowedIp ?? 'any address'}</span>
              <Countdown to={s.expiresAt} />
              {admin ? (
                <Button
                  variant="secondary"
                  onClick={() =>
                    void call(`/sandbox/sessions/${s.sessionId}`, { method: 'DELETE' }).then((r) => {
                      if (!r.ok) setError(r.error);
                      sessions.reload();
                    })
                  }
                >
                  End session {s.keyPrefix}
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      </Card>
      {selected ? <CapturedMessages sessionId={selected} /> : null}
    </>
  );
}

function Countdown({ to }: { to: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(t);
  }, []);
  const left = Math.max(0, new Date(to).getTime() - now);
  const m = Math.floor(left / 60_000);
  const s = Math.floor((left % 60_000) / 1_000);
  return (
    <span>
      expires <Time value={to} /> (in {m} m {s} s)
    </span>
  );
}

function CapturedMessages({ sessionId }: { sessionId: string }) {
  const messages = useApi<Captured[]>(`/sandbox/sessions/${sessionId}/messages`, { query: { limit: 50 } });
  const [open, setOpen] = useState<Captured | null>(null);
  const { reload } = messages;
  useEffect(() => {
    const t = setInterval(reload, 3_000); // captured messages arrive while you test
    return () => clearInterval(t);
  }, [reload]);
  return (
    <Card title="Captured messages">
      {messages.error ? <ErrorPanel error={messages.error} /> : null}
      {messages.data?.length === 0 ? (
        <Empty title="Nothing captured yet">Trigger an event with the sandbox key; it appears here within seconds.</Empty>
      ) : null}
      {messages.data && messages.data.length > 0 ? (
        <Table caption="Captured messages">
          <thead>
            <tr>
              <Th>Captured</Th>
              <Th>Event type</Th>
              <Th>Channel</Th>
              <Th>Recipient</Th>
              <Th>Notification</Th>
            </tr>
          </thead>
          <tbody>
            {messages.data.map((m) => (
              <tr key={m.id}>
                <Td>
                  <Time value={m.capturedAt} />
                </Td>
                <Td>
                  <button type="button" className="text-blue-800 underline" onClick={() => setOpen(m)}>
                    {m.eventType ?? 'event'} {m.content.subject ? `— ${m.content.subject}` : ''}
                  </button>
                </Td>
                <Td>{m.channel}</Td>
                <Td>{m.recipient ?? '—'}</Td>
                <Td>
                  <CopyId value={m.notificationId} label="notification id" />
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
      <Drawer open={open !== null} onOpenChange={(o) => (o ? undefined : setOpen(null))} title="Captured message">
        {open ? (
          <div className="flex flex-col gap-2 text-sm">
            {open.content.subject ? <p>Subject: {open.content.subject}</p> : null}
            {typeof open.content.html === 'string' ? (
              <SafePreview html={open.content.html} title="Captured email preview" />
            ) : (
              <pre className="whitespace-pre-wrap">{JSON.stringify(open.content, null, 2)}</pre>
            )}
          </div>
        ) : null}
      </Drawer>
    </Card>
  );
}
