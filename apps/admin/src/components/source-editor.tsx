'use client';

import CodeMirror, { EditorView } from '@uiw/react-codemirror';
import { html } from '@codemirror/lang-html';
import { useMemo } from 'react';

/** CodeMirror for template sources (HTML/MJML with Handlebars), labelled for screen readers and tests. */
export function SourceEditor({
  value,
  onChange,
  label,
  readOnly,
}: {
  value: string;
  onChange: (v: string) => void;
  label: string;
  readOnly?: boolean;
}) {
  const extensions = useMemo(() => [html(), EditorView.lineWrapping, EditorView.contentAttributes.of({ 'aria-label': label })], [label]);
  return (
    <CodeMirror
      value={value}
      onChange={onChange}
      extensions={extensions}
      readOnly={readOnly}
      height="18rem"
      basicSetup={{ foldGutter: false }}
      className="rounded border border-slate-400 text-sm"
    />
  );
}
