// Test helpers shared by the template specs (not used by production code).
import { compileTemplate, type CompileResult } from './template.compiler.js';
import type { CompiledTemplate, TemplateDraft, TemplateIssue } from './template.types.js';

/** An MJML document with `content` inside one section and column (content starts on line 5). */
export function mjml(content: string, head = ''): string {
  return [
    '<mjml>',
    `  <mj-head>${head}</mj-head>`,
    '  <mj-body>',
    '    <mj-section>',
    '      <mj-column>',
    content,
    '      </mj-column>',
    '    </mj-section>',
    '  </mj-body>',
    '</mjml>',
  ].join('\n');
}

export function emailDraft(body: string, extra: Partial<TemplateDraft> = {}): TemplateDraft {
  return { channel: 'EMAIL', subject: 'Hello {{name}}', bodyFormat: 'mjml', body, ...extra };
}

export function errorsOf(result: CompileResult): TemplateIssue[] {
  if (result.ok) throw new Error('expected the template to be rejected');
  return result.errors;
}

export function versionOf(result: CompileResult): CompiledTemplate {
  if (!result.ok) throw new Error(`expected the template to compile: ${JSON.stringify(result.errors)}`);
  return result.version;
}

export function compiled(draft: TemplateDraft): CompiledTemplate {
  return versionOf(compileTemplate(draft));
}

/** A stored version written directly, as a migration or an older release might have. */
export function stored(fields: Partial<CompiledTemplate> & Pick<CompiledTemplate, 'channel'>): CompiledTemplate {
  return {
    subject: null,
    bodyFormat: null,
    bodySource: null,
    compiledHtml: null,
    textBody: null,
    title: null,
    pushBody: null,
    category: null,
    data: null,
    ...fields,
  };
}
