'use client';

import { useState } from 'react';
import { ErrorPanel } from '@/components/feedback';
import { Button } from '@/components/ui';
import type { ApiError } from '@/lib/api';
import { useSession } from '@/lib/session';

/**
 * "Export CSV" of a list's current filters: the API writes the file (bounded, formula-safe, what the
 * reader's role may see) and an audit entry for it; the console downloads the answer as it came, through
 * its /api proxy with the in-memory token (a plain link could not carry the Authorization header).
 */
export function ExportCsv({
  path,
  query,
  noun,
}: {
  path: string;
  query: Record<string, string | undefined>;
  noun: [singular: string, plural: string];
}) {
  const { download } = useSession();
  const [state, setState] = useState<{ busy: boolean; message: string | null; error: ApiError | null }>({
    busy: false,
    message: null,
    error: null,
  });
  async function run() {
    setState({ busy: true, message: null, error: null });
    const answer = await download(path, { query });
    if (!answer.ok) return setState({ busy: false, message: null, error: answer.error });
    const rows = Number(answer.headers.get('x-orqestra-export-rows') ?? '0');
    const truncated = answer.headers.get('x-orqestra-export-truncated') === 'true';
    const named = /filename="([^"]+)"/.exec(answer.headers.get('content-disposition') ?? '')?.[1];
    const url = URL.createObjectURL(answer.blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = named ?? 'orqestra-export.csv';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000); // after the download has started
    setState({
      busy: false,
      message: `Exported ${rows} ${rows === 1 ? noun[0] : noun[1]}${truncated ? ` (the newest ${rows.toLocaleString('en')}; narrow the filters or the time range for the rest)` : ''}.`,
      error: null,
    });
  }
  return (
    <div className="flex items-center gap-2">
      <Button variant="secondary" disabled={state.busy} onClick={() => void run()}>
        {state.busy ? 'Exporting…' : 'Export CSV'}
      </Button>
      {state.message ? (
        <span role="status" className="text-sm">
          {state.message}
        </span>
      ) : null}
      {state.error ? <ErrorPanel error={state.error} /> : null}
    </div>
  );
}
