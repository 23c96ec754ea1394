'use client';

import { useState, type ReactNode } from 'react';
import { nextStep, type ApiError } from '@/lib/api';

/** A non-success explains itself: the code, the API's message, the next step, and the trace id to quote. */
export function ErrorPanel({ error, title = 'That did not work' }: { error: ApiError; title?: string }) {
  return (
    <div role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-950">
      <p className="font-semibold">
        {title}: <code className="font-mono">{error.code}</code>
      </p>
      <p>{error.message}</p>
      {error.details?.length ? (
        <ul className="ml-4 list-disc">
          {error.details.map((d, i) => (
            <li key={i}>
              {d.path ? <code className="font-mono">{d.path}</code> : null}
              {d.line !== undefined ? ` line ${d.line}, column ${d.column ?? 1}` : null}
              {d.path || d.line !== undefined ? ': ' : null}
              {d.message}
            </li>
          ))}
        </ul>
      ) : null}
      <p className="mt-1">Next step: {nextStep(error.code)}</p>
      {error.traceId ? (
        <p className="mt-1">
          Trace id to quote: <code className="font-mono">{error.traceId}</code>
        </p>
      ) : null}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="rounded-md border border-dashed border-slate-400 p-6 text-center text-sm">
      <p className="font-semibold">{title}</p>
      {children ? <div className="mt-1 text-slate-800">{children}</div> : null}
    </div>
  );
}

/** Identifiers are tools: monospace, copyable, and (with onPivot) a click filters by them. */
export function CopyId({ value, label, onPivot }: { value: string; label: string; onPivot?: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <span className="inline-flex items-center gap-1">
      {onPivot ? (
        <button type="button" onClick={onPivot} className="font-mono text-xs text-blue-800 underline" title={`Filter by this ${label}`}>
          {value}
        </button>
      ) : (
        <code className="font-mono text-xs">{value}</code>
      )}
      <button
        type="button"
        className="rounded px-1 text-xs text-slate-800 hover:bg-slate-200"
        aria-label={`Copy ${label} ${value}`}
        onClick={() => {
          void navigator.clipboard?.writeText(value).then(() => setCopied(true));
        }}
      >
        {copied ? 'Copied' : 'Copy'}
      </button>
    </span>
  );
}

/** Absolute time with its zone (UTC), the local reading on hover. */
export function Time({ value }: { value: string | null | undefined }) {
  if (!value) return <span>—</span>;
  const d = new Date(value);
  const utc = `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
  return (
    <time dateTime={d.toISOString()} title={`Local: ${d.toLocaleString()}`} className="whitespace-nowrap font-mono text-xs">
      {utc}
    </time>
  );
}

/** A secret or key shown exactly once, with the warning that it will not be shown again. */
export function ShownOnce({ label, value }: { label: string; value: string }) {
  return (
    <div role="status" className="rounded-md border border-amber-400 bg-amber-50 p-3 text-sm">
      <p className="font-semibold">{label}: copy it now, it is shown only once.</p>
      <p className="mt-1 break-all">
        <CopyId value={value} label={label} />
      </p>
    </div>
  );
}
