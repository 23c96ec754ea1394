'use client';

import { useState } from 'react';
import { Button } from './ui';

/**
 * Tenant HTML is shown only inside a sandboxed iframe: no allow-scripts, no allow-same-origin (an
 * opaque origin), and a policy of its own that allows no script and no network at all on top of the
 * console's CSP the srcdoc inherits. The HTML never enters the console's own DOM.
 */
const FRAME_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:";

export function SafePreview({ html, title }: { html: string; title: string }) {
  const [width, setWidth] = useState<'desktop' | 'mobile'>('desktop');
  const doc = `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${FRAME_POLICY}"></head><body>${html}</body></html>`;
  return (
    <div>
      <div className="mb-2 flex gap-2" role="group" aria-label="Preview width">
        <Button
          variant={width === 'desktop' ? 'primary' : 'secondary'}
          aria-pressed={width === 'desktop'}
          onClick={() => setWidth('desktop')}
        >
          Desktop
        </Button>
        <Button variant={width === 'mobile' ? 'primary' : 'secondary'} aria-pressed={width === 'mobile'} onClick={() => setWidth('mobile')}>
          Mobile
        </Button>
      </div>
      <iframe
        title={title}
        sandbox=""
        referrerPolicy="no-referrer"
        srcDoc={doc}
        className="h-96 rounded border border-slate-300 bg-white"
        style={{ width: width === 'desktop' ? '100%' : 375 }}
      />
    </div>
  );
}
