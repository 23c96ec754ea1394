'use client';

import Link from 'next/link';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { PageHeader } from '@/components/app-shell';
import { Modal } from '@/components/drawer';
import { ErrorPanel, Time } from '@/components/feedback';
import { SafePreview } from '@/components/safe-preview';
import { SourceEditor } from '@/components/source-editor';
import { Button, Card, Field, Input, Select, StatusBadge, Textarea } from '@/components/ui';
import type { ApiError } from '@/lib/api';
import { diffLines } from '@/lib/diff';
import { useApi, useTitle } from '@/lib/hooks';
import { useSession } from '@/lib/session';
import type { TemplateSummary, TemplateVersion } from '@/lib/types';

interface Draft {
  subject: string;
  bodyFormat: string;
  body: string;
  textBody: string;
  title: string;
  pushBody: string;
}
interface Problem {
  code?: string;
  message: string;
  field?: string;
  path?: string;
  line?: number;
  column?: number;
}
interface PreviewAnswer {
  ok: boolean;
  savable?: boolean;
  content?: { subject?: string; html?: string; text?: string; title?: string; body?: string };
  errors?: Problem[];
  warnings?: Problem[];
  sms?: { length: number; encoding: string; segments: number } | null;
}

const draftKey = (id: string) => `orqestra.template-draft.${id}`;
const fromVersion = (v: TemplateVersion | undefined): Draft => ({
  subject: v?.subject ?? '',
  bodyFormat: v?.bodyFormat ?? 'html',
  body: v?.body ?? '',
  textBody: v?.textBody ?? '',
  title: v?.title ?? '',
  pushBody: v?.pushBody ?? '',
});

/**
 * Where a template editor reads and writes: the tenant's own templates (`/templates`, with test
 * sends through the tenant's providers) or the platform's global ones (`/global-templates`, which
 * only operators change). Everything else — split view, live preview of the draft, local draft,
 * versions, compare, activate — is the same for both.
 */
export interface TemplateEditorTarget {
  /** API path of the collection under the realm's base: `/templates` or `/global-templates`. */
  base: '/templates' | '/global-templates';
  /** The body of a save (a new version) in that API's shape. */
  saveBody(summary: TemplateSummary, fields: Record<string, string>, activate: boolean): unknown;
  /** Test sends go through a tenant's providers: only tenant templates have them. */
  testSend: boolean;
  /** The list page, for the way back. */
  listHref: string;
  listLabel: string;
  /** After the page name in document.title (the tenant's name, or Platform). */
  titleSuffix?: string;
  /** The preview's starting sample variables (JSON). */
  sampleVariables: string;
}

export const TENANT_TEMPLATES: Omit<TemplateEditorTarget, 'titleSuffix'> = {
  base: '/templates',
  saveBody: (summary, fields, activate) => ({
    eventType: summary.eventType,
    channel: summary.channel,
    locale: summary.locale,
    activate,
    ...fields,
  }),
  testSend: true,
  listHref: '/tenant/templates',
  listLabel: 'Back to templates',
  sampleVariables: '{\n  "name": "Ada"\n}',
};

export const GLOBAL_TEMPLATES: Omit<TemplateEditorTarget, 'titleSuffix'> = {
  base: '/global-templates',
  saveBody: (summary, fields, activate) => ({
    eventType: summary.eventType,
    locale: summary.locale,
    activate,
    template: { channel: summary.channel, ...fields },
  }),
  testSend: false,
  listHref: '/operator/templates',
  listLabel: 'Back to global templates',
  // SPEC §4: the global templates read title and message.
  sampleVariables: '{\n  "title": "Scheduled maintenance",\n  "message": "Sending pauses tonight from 02:00 to 02:15 UTC."\n}',
};

/**
 * The split template editor (ADMIN-UI §5.3): source ↔ sandboxed preview of the unsaved draft,
 * versions with compare and activate. `summary` is loaded by the page (tenants find it in their
 * list, operators ask for the global template by id); `canEdit` false shows it read-only.
 */
export function TemplateEditor({
  id,
  target,
  summary: summaryState,
  canEdit,
  banner,
}: {
  id: string;
  target: TemplateEditorTarget;
  summary: { data: TemplateSummary | undefined; reload: () => void };
  canEdit: boolean;
  banner?: ReactNode;
}) {
  const { call } = useSession();
  const admin = canEdit;
  const versions = useApi<TemplateVersion[]>(`${target.base}/${encodeURIComponent(id)}/versions`, { query: { limit: 200 } });
  const summary = summaryState.data;
  useTitle(
    summary ? `Template ${summary.eventType} (${summary.channel})` : versions.error ? 'Template not found' : 'Template',
    target.titleSuffix,
  );

  const latest = versions.data?.[0];
  const [draft, setDraft] = useState<Draft | null>(null);
  const [restored, setRestored] = useState(false);
  const [variables, setVariables] = useState(target.sampleVariables);
  const [preview, setPreview] = useState<PreviewAnswer | null>(null);
  const [saveError, setSaveError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [activate, setActivate] = useState(true);
  const [rollback, setRollback] = useState<TemplateVersion | null>(null);
  const [compare, setCompare] = useState<TemplateVersion | null>(null);
  const [recipient, setRecipient] = useState('');
  const [testResult, setTestResult] = useState<{ notificationId: string } | null>(null);
  const dirty = useRef(false);

  // Start from the local draft when one survived (a session that expired mid-edit), else the latest version.
  useEffect(() => {
    if (!versions.data || draft) return;
    const saved = window.localStorage.getItem(draftKey(id));
    if (saved) {
      setDraft(JSON.parse(saved) as Draft);
      setRestored(true);
      dirty.current = true;
    } else setDraft(fromVersion(latest));
  }, [versions.data, draft, id, latest]);

  const change = (patch: Partial<Draft>) => {
    setSaveError(null); // the save's errors were about the previous draft
    setDraft((d) => {
      const next = { ...(d ?? fromVersion(latest)), ...patch };
      dirty.current = true;
      window.localStorage.setItem(draftKey(id), JSON.stringify(next));
      return next;
    });
  };

  const parsedVariables = useMemo(() => {
    try {
      return { ok: true as const, value: JSON.parse(variables) as Record<string, unknown> };
    } catch (e) {
      return { ok: false as const, message: (e as Error).message };
    }
  }, [variables]);

  // Live preview of the unsaved draft (no version is created), debounced.
  useEffect(() => {
    if (!draft || !summary || !parsedVariables.ok) return;
    const t = setTimeout(() => {
      void call<PreviewAnswer>(`${target.base}/preview`, {
        method: 'POST',
        body: {
          channel: summary.channel,
          locale: summary.locale,
          eventType: summary.eventType,
          ...fieldsOf(summary.channel, draft),
          variables: parsedVariables.value,
        },
      }).then((r) => {
        if (r.ok) setPreview(r.data);
      });
    }, 400);
    return () => clearTimeout(t);
  }, [draft, summary, parsedVariables, call]);

  if (versions.error) {
    return (
      <>
        <PageHeader title="Template" />
        <ErrorPanel error={versions.error} title="This template cannot be shown" />
        <p className="mt-2 text-sm">
          <Link className="text-blue-800 underline" href={target.listHref}>
            {target.listLabel}
          </Link>
        </p>
      </>
    );
  }
  if (!draft || !summary) return <p>Loading…</p>;

  async function save() {
    if (!summary || !draft) return;
    const r = await call<{ version: number }>(target.base, {
      method: 'POST',
      body: target.saveBody(summary, fieldsOf(summary.channel, draft), activate),
    });
    if (!r.ok) {
      setSaveError(r.error);
      return;
    }
    setSaveError(null);
    setNotice(`Saved as version ${r.data.version}${activate ? ' (active)' : ''}.`);
    window.localStorage.removeItem(draftKey(id));
    dirty.current = false;
    setRestored(false);
    versions.reload();
    summaryState.reload();
  }

  const problems: Problem[] = [...(saveError?.details?.map((d) => ({ ...d, code: saveError.code })) ?? []), ...(preview?.errors ?? [])];
  const html = preview?.content?.html;
  return (
    <>
      <PageHeader title={`${summary.eventType} · ${summary.channel} · ${summary.locale}`}>
        {summary.activeVersion === null ? (
          <StatusBadge status="inactive" />
        ) : (
          <span className="self-center text-sm">Active: v{summary.activeVersion}</span>
        )}
      </PageHeader>
      {banner}
      {restored ? (
        <div role="status" className="mb-3 rounded border border-amber-400 bg-amber-50 p-2 text-sm">
          Restored your unsaved local draft.{' '}
          <Button
            variant="secondary"
            onClick={() => {
              window.localStorage.removeItem(draftKey(id));
              setDraft(fromVersion(latest));
              setRestored(false);
            }}
          >
            Discard local draft
          </Button>
        </div>
      ) : null}
      <div className="grid grid-cols-1 gap-4 xl:grid-cols-[1fr_1fr_16rem]">
        <Card title="Source">
          <div className="flex flex-col gap-3">
            {summary.channel === 'EMAIL' ? (
              <>
                <Field label="Subject" htmlFor="tpl-subject">
                  <Input id="tpl-subject" value={draft.subject} readOnly={!admin} onChange={(e) => change({ subject: e.target.value })} />
                </Field>
                <Field label="Body format" htmlFor="tpl-format">
                  <Select
                    id="tpl-format"
                    value={draft.bodyFormat}
                    disabled={!admin}
                    onChange={(e) => change({ bodyFormat: e.target.value })}
                  >
                    <option value="html">HTML</option>
                    <option value="mjml">MJML</option>
                  </Select>
                </Field>
              </>
            ) : null}
            {summary.channel === 'PUSH' ? (
              <Field label="Title" htmlFor="tpl-title">
                <Input id="tpl-title" value={draft.title} readOnly={!admin} onChange={(e) => change({ title: e.target.value })} />
              </Field>
            ) : null}
            <div>
              <p className="mb-1 text-sm font-medium">{summary.channel === 'PUSH' ? 'Push body' : 'Body'}</p>
              <SourceEditor
                label="Body source"
                readOnly={!admin}
                value={summary.channel === 'PUSH' ? draft.pushBody : draft.body}
                onChange={(v) => change(summary.channel === 'PUSH' ? { pushBody: v } : { body: v })}
              />
            </div>
            {problems.length > 0 ? (
              <div role="alert" className="rounded border border-red-300 bg-red-50 p-2 text-sm text-red-950">
                <p className="font-semibold">This draft cannot be saved:</p>
                <ul className="ml-4 list-disc">
                  {problems.map((p, i) => (
                    <li key={i}>
                      <code className="font-mono">{p.code ?? 'TEMPLATE_INVALID'}</code> in {p.field ?? p.path ?? 'body'}
                      {p.line !== undefined ? ` at line ${p.line}, column ${p.column ?? 1}` : ''}: {p.message}
                    </li>
                  ))}
                </ul>
                {saveError?.traceId ? <p>Trace id: {saveError.traceId}</p> : null}
              </div>
            ) : null}
            {preview?.warnings?.length ? (
              <ul className="text-sm" aria-label="Warnings">
                {preview.warnings.map((w, i) => (
                  <li key={i}>
                    ⚠ <code className="font-mono">{w.code}</code>
                    {w.line !== undefined ? ` line ${w.line}, column ${w.column ?? 1}` : ''}: {w.message}
                  </li>
                ))}
              </ul>
            ) : null}
            {admin ? (
              <div className="flex items-center gap-3">
                <label className="flex items-center gap-1 text-sm">
                  <input type="checkbox" checked={activate} onChange={(e) => setActivate(e.target.checked)} /> Activate on save
                </label>
                <Button onClick={() => void save()}>Save version</Button>
              </div>
            ) : null}
            {notice ? <p role="status">{notice}</p> : null}
          </div>
        </Card>
        <Card title="Preview">
          <Field
            label="Sample variables (JSON)"
            htmlFor="tpl-variables"
            hint={parsedVariables.ok ? 'The preview re-renders as you type.' : `Not valid JSON: ${parsedVariables.message}`}
          >
            <Textarea id="tpl-variables" rows={4} value={variables} onChange={(e) => setVariables(e.target.value)} />
          </Field>
          <div className="mt-3">
            {preview?.content?.subject !== undefined ? <p className="mb-2 text-sm">Subject: {preview.content.subject}</p> : null}
            {html !== undefined ? <SafePreview html={html} title="Template preview" /> : null}
            {summary.channel !== 'EMAIL' && preview?.content ? (
              <pre className="whitespace-pre-wrap rounded bg-slate-100 p-2 text-sm">{JSON.stringify(preview.content, null, 2)}</pre>
            ) : null}
            {preview?.sms ? (
              <p className="text-sm">
                SMS: {preview.sms.length} characters, {preview.sms.encoding}, {preview.sms.segments} segment(s)
              </p>
            ) : null}
            {preview?.content?.text ? (
              <details className="mt-2 text-sm">
                <summary>Text part</summary>
                <pre className="whitespace-pre-wrap">{preview.content.text}</pre>
              </details>
            ) : null}
          </div>
          {admin && target.testSend ? (
            <form
              className="mt-4 flex items-end gap-2"
              onSubmit={(e) => {
                e.preventDefault();
                const key = summary.channel === 'EMAIL' ? 'email' : summary.channel === 'SMS' ? 'phone' : 'userId';
                void call<{ notificationId: string }>(`${target.base}/${id}/test-send`, {
                  method: 'POST',
                  body: { recipient: { [key]: recipient }, variables: parsedVariables.ok ? parsedVariables.value : {} },
                }).then((r) => {
                  if (!r.ok) return setSaveError(r.error);
                  setTestResult(r.data);
                });
              }}
            >
              <Field label="Test send to" htmlFor="tpl-test-recipient">
                <Input id="tpl-test-recipient" value={recipient} onChange={(e) => setRecipient(e.target.value)} />
              </Field>
              <Button type="submit" variant="secondary">
                Send test
              </Button>
            </form>
          ) : null}
          {testResult ? (
            <p role="status" className="mt-2 text-sm">
              Test sent:{' '}
              <Link className="text-blue-800 underline" href={`/tenant/logs?isTest=true&open=${testResult.notificationId}`}>
                see it in the logs
              </Link>
            </p>
          ) : null}
        </Card>
        <Card title="Versions">
          <ul className="flex flex-col gap-2 text-sm">
            {(versions.data ?? []).map((v) => (
              <li key={v.id} className="rounded border border-slate-200 p-2">
                <p>
                  <strong>v{v.version}</strong> {v.active ? <StatusBadge status="active" /> : null}
                </p>
                <p>
                  <Time value={v.createdAt} />
                </p>
                <div className="mt-1 flex gap-1">
                  <Button variant="secondary" onClick={() => setCompare(v)}>
                    Compare v{v.version}
                  </Button>
                  {admin && !v.active ? (
                    <Button variant="secondary" onClick={() => setRollback(v)}>
                      Activate v{v.version}
                    </Button>
                  ) : null}
                </div>
              </li>
            ))}
          </ul>
        </Card>
      </div>
      <Modal
        open={rollback !== null}
        onOpenChange={(o) => (o ? undefined : setRollback(null))}
        title={`Activate version ${rollback?.version ?? ''}?`}
      >
        <p className="mb-3 text-sm">
          New events of {summary.eventType} will use version {rollback?.version} from now on.
        </p>
        <div className="flex gap-2">
          <Button
            onClick={() =>
              void call(`${target.base}/${id}/activate`, { method: 'POST', body: { version: rollback?.version } }).then((r) => {
                if (!r.ok) setSaveError(r.error);
                else setNotice(`Version ${rollback?.version} is active.`);
                setRollback(null);
                versions.reload();
                summaryState.reload();
              })
            }
          >
            Confirm activation
          </Button>
          <Button variant="secondary" onClick={() => setRollback(null)}>
            Cancel
          </Button>
        </div>
      </Modal>
      <Modal
        open={compare !== null}
        onOpenChange={(o) => (o ? undefined : setCompare(null))}
        title={`Version ${compare?.version ?? ''} compared with the draft`}
      >
        <pre tabIndex={0} className="max-h-96 overflow-auto text-xs">
          {compare
            ? diffLines(sourceOf(summary.channel, fromVersion(compare)), sourceOf(summary.channel, draft)).map((l, i) => (
                <div key={i} className={l.kind === 'added' ? 'bg-green-100' : l.kind === 'removed' ? 'bg-red-100' : ''}>
                  {l.kind === 'added' ? '+ ' : l.kind === 'removed' ? '- ' : '  '}
                  {l.text}
                </div>
              ))
            : null}
        </pre>
      </Modal>
    </>
  );
}

function fieldsOf(channel: string, d: Draft): Record<string, string> {
  if (channel === 'EMAIL')
    return { subject: d.subject, bodyFormat: d.bodyFormat, body: d.body, ...(d.textBody ? { textBody: d.textBody } : {}) };
  if (channel === 'SMS') return { body: d.body };
  return { title: d.title, pushBody: d.pushBody };
}

function sourceOf(channel: string, d: Draft): string {
  return Object.entries(fieldsOf(channel, d))
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
}
