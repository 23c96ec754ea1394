import { parseHandlebars } from './handlebars-syntax.js';
import { smsReport, type SmsReport } from './sms-segments.js';
import { compileTemplate, templateSources } from './template.compiler.js';
import { TemplateRenderer } from './template.renderer.js';
import {
  warning,
  type CompiledTemplate,
  type RenderableTemplate,
  type RenderedContent,
  type TemplateDraft,
  type TemplateIssue,
  type TemplateWarning,
} from './template.types.js';
import { findUnknownVariables } from './variable-usage.js';

export type PreviewRequest = ({ draft: TemplateDraft } | { version: RenderableTemplate }) & {
  /** Sample variables, as an event's `variables` would carry them. */
  sample?: Record<string, unknown>;
  /** Sample payload fields (userId, recipientEmail, …); the sample wins on a clash. */
  payload?: Record<string, unknown>;
  locale?: string | null;
};

export type PreviewResult =
  | { ok: true; content: RenderedContent; warnings: TemplateWarning[]; sms: SmsReport | null; durationMs: number }
  | { ok: false; errors: TemplateIssue[]; warnings: TemplateWarning[] };

let sharedRenderer: TemplateRenderer | undefined;

/**
 * Renders a stored version, or a draft not saved yet, with sample data (SPEC §4 preview).
 * Besides the content it reports variables the sample lacks, MJML problems of a draft (a save
 * would reject them; the preview renders anyway), helper warnings, and for SMS the length,
 * encoding and segments of the rendered text.
 */
export function previewTemplate(
  request: PreviewRequest,
  renderer: TemplateRenderer = (sharedRenderer ??= new TemplateRenderer()),
): PreviewResult {
  const warnings: TemplateWarning[] = [];
  let version: RenderableTemplate;
  if ('draft' in request) {
    const compiled = compileTemplate(request.draft, { mjmlValidation: 'soft' });
    if (!compiled.ok) return { ok: false, errors: compiled.errors, warnings };
    warnings.push(...compiled.warnings);
    version = compiled.version; // no id: a draft is never cached
  } else {
    version = request.version;
  }

  const variables = { ...request.payload, ...request.sample };
  warnings.push(...unknownVariableWarnings(version, variables));
  const rendered = renderer.render(version, { payload: request.payload, variables: request.sample, locale: request.locale });
  warnings.push(...rendered.warnings);
  if (!rendered.ok) return { ok: false, errors: [rendered.error], warnings };
  const sms = version.channel === 'SMS' ? smsReport(rendered.content.body ?? '') : null;
  return { ok: true, content: rendered.content, warnings, sms, durationMs: rendered.durationMs };
}

function unknownVariableWarnings(version: CompiledTemplate, variables: Record<string, unknown>): TemplateWarning[] {
  const warnings: TemplateWarning[] = [];
  for (const { field, source } of templateSources(version)) {
    const parsed = parseHandlebars(source);
    if (!parsed.ok) continue; // a stored version always parses; the render reports otherwise
    for (const unknown of findUnknownVariables(parsed.ast, variables)) {
      warnings.push(warning('UNKNOWN_VARIABLE', `"${unknown.path}" is not in the sample variables`, field, unknown));
    }
  }
  return warnings;
}
