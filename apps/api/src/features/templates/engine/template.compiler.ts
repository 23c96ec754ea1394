import { checkTemplateAst } from './handlebars-checks.js';
import { parseHandlebars, scanTags } from './handlebars-syntax.js';
import { compileMjml } from './mjml-compile.js';
import { parseForRender } from './render-guard.js';
import { smsReport, type SmsReport } from './sms-segments.js';
import { LineIndex, utf8Length } from './source-position.js';
import { compileOptions, createTemplateEnvironment } from './template.helpers.js';
import {
  PUSH_CATEGORIES,
  TEMPLATE_LIMITS,
  dataStrings,
  issue,
  warning,
  type CompiledTemplate,
  type PushCategory,
  type TemplateDraft,
  type TemplateField,
  type TemplateIssue,
  type TemplateWarning,
} from './template.types.js';

export interface CompileTemplateOptions {
  /**
   * 'strict' (saving): MJML validation errors reject the version. 'soft' (previewing a draft):
   * they come back as MJML_INVALID warnings and the HTML is produced anyway.
   */
  mjmlValidation?: 'strict' | 'soft';
}

export type CompileResult =
  { ok: true; version: CompiledTemplate; warnings: TemplateWarning[]; sms: SmsReport | null } | { ok: false; errors: TemplateIssue[] };

/** One Handlebars source of a draft and where it sits. */
export interface SourceField {
  field: TemplateField;
  source: string;
}

const validationEnv = createTemplateEnvironment(() => undefined);

/**
 * Validates a draft and produces the version to store (SPEC §4): every Handlebars source must
 * parse and use only built-in helpers, without partials; an MJML body must respect the block
 * placement rule and compile; sizes must stay within the limits. Never throws for bad input.
 */
export function compileTemplate(draft: TemplateDraft, options: CompileTemplateOptions = {}): CompileResult {
  const shape = checkShape(draft);
  if (shape.errors.length > 0) return { ok: false, errors: shape.errors };
  const { version } = shape;

  const sizeErrors = checkSizes(draft, version);
  if (sizeErrors.length > 0) return { ok: false, errors: sizeErrors };

  const errors = templateSources(version).flatMap(validateHandlebars);
  if (errors.length > 0) return { ok: false, errors };

  const warnings: TemplateWarning[] = [];
  if (version.channel === 'EMAIL') {
    const html = emailHtml(version, options.mjmlValidation ?? 'strict', warnings);
    if (!html.ok) return { ok: false, errors: html.errors };
    version.compiledHtml = html.html;
  }
  const sms = version.channel === 'SMS' ? smsReport(version.bodySource ?? '') : null;
  return { ok: true, version, warnings, sms };
}

/** Every Handlebars source of a version (push data string values included), by field. */
export function templateSources(version: CompiledTemplate): SourceField[] {
  const fields: SourceField[] = [];
  const add = (field: TemplateField, source: string | null) => {
    if (source !== null) fields.push({ field, source });
  };
  add('subject', version.subject);
  add('body', version.bodySource);
  add('textBody', version.textBody);
  add('title', version.title);
  add('pushBody', version.pushBody);
  fields.push(...dataStrings(version.data));
  return fields;
}

function blank(version: TemplateDraft): CompiledTemplate {
  return {
    channel: version.channel,
    subject: null,
    bodyFormat: null,
    bodySource: null,
    compiledHtml: null,
    textBody: null,
    title: null,
    pushBody: null,
    category: null,
    data: null,
  };
}

/** Required fields per channel; fields another channel uses are not stored. */
function checkShape(draft: TemplateDraft): { version: CompiledTemplate; errors: TemplateIssue[] } {
  const version = blank(draft);
  const errors: TemplateIssue[] = [];
  const required = (field: TemplateField, value: string | undefined, what: string): string | null => {
    if (typeof value === 'string' && value.trim() !== '') return value;
    errors.push(issue('TEMPLATE_INVALID', `${what} is required`, field));
    return null;
  };
  switch (draft.channel) {
    case 'EMAIL':
      version.subject = required('subject', draft.subject, 'An email subject');
      version.bodySource = required('body', draft.body, 'An email body');
      if (draft.bodyFormat === 'mjml' || draft.bodyFormat === 'html') version.bodyFormat = draft.bodyFormat;
      else errors.push(issue('TEMPLATE_INVALID', 'An email body format must be "mjml" or "html"', 'bodyFormat'));
      version.textBody = draft.textBody?.trim() ? draft.textBody : null;
      break;
    case 'SMS':
      version.bodySource = required('body', draft.body, 'An SMS body');
      if (draft.bodyFormat !== undefined && draft.bodyFormat !== 'text') {
        errors.push(issue('TEMPLATE_INVALID', 'An SMS body is plain text (body format "text")', 'bodyFormat'));
      }
      version.bodyFormat = 'text';
      break;
    case 'PUSH':
      version.title = required('title', draft.title, 'A push title');
      version.pushBody = required('pushBody', draft.pushBody, 'A push body');
      version.category = (draft.category ?? 'info') as PushCategory;
      if (!PUSH_CATEGORIES.includes(version.category)) {
        errors.push(issue('TEMPLATE_INVALID', `A push category must be one of ${PUSH_CATEGORIES.join(', ')}`, 'category'));
      }
      if (draft.data !== undefined && draft.data !== null) {
        if (typeof draft.data === 'object' && !Array.isArray(draft.data)) version.data = draft.data;
        else errors.push(issue('TEMPLATE_INVALID', 'Push data must be a JSON object', 'data'));
      }
      break;
    default:
      errors.push(issue('TEMPLATE_INVALID', `Unknown channel ${String((draft as { channel: unknown }).channel)}`, 'template'));
  }
  return { version, errors };
}

function checkSizes(draft: TemplateDraft, version: CompiledTemplate): TemplateIssue[] {
  const max = TEMPLATE_LIMITS.maxSourceBytes;
  const sizes: [TemplateField, number][] = [
    ['subject', utf8Length(version.subject ?? '')],
    ['body', utf8Length(version.bodySource ?? '')],
    ['textBody', utf8Length(version.textBody ?? '')],
    ['title', utf8Length(version.title ?? '')],
    ['pushBody', utf8Length(version.pushBody ?? '')],
    ['data', version.data ? utf8Length(JSON.stringify(draft.data)) : 0],
  ];
  const errors = sizes
    .filter(([, bytes]) => bytes > max)
    .map(([field, bytes]) => issue('TEMPLATE_TOO_LARGE', `${field} is ${kib(bytes)} KiB; the limit is ${kib(max)} KiB`, field));
  const total = sizes.reduce((sum, [, bytes]) => sum + bytes, 0);
  if (errors.length === 0 && total > max) {
    errors.push(
      issue('TEMPLATE_TOO_LARGE', `The template's sources add up to ${kib(total)} KiB; the limit is ${kib(max)} KiB`, 'template'),
    );
  }
  return errors;
}

function kib(bytes: number): string {
  return (bytes / 1024).toFixed(1).replace(/\.0$/, '');
}

function validateHandlebars({ field, source }: SourceField): TemplateIssue[] {
  const parsed = parseHandlebars(source);
  if (!parsed.ok) {
    const { message, line, column } = parsed.problem;
    return [issue('TEMPLATE_INVALID', message, field, { line, column })];
  }
  const problems = checkTemplateAst(parsed.ast).map((p) => issue('TEMPLATE_INVALID', p.message, field, p));
  const raw = scanTags(source).tags.find((tag) => tag.kind === 'raw');
  if (raw)
    problems.push(
      issue('TEMPLATE_INVALID', 'Raw blocks ({{{{…}}}}) are not supported', field, new LineIndex(source).positionOf(raw.start)),
    );
  if (problems.length > 0) return problems;
  try {
    // Handlebars' own compiler, on what the renderer will compile, as a last check.
    validationEnv.precompile(parseForRender(source), compileOptions(false));
  } catch (error) {
    return [issue('TEMPLATE_INVALID', `Handlebars: ${(error as Error).message.replace(/ - \d+:\d+$/, '')}`, field)];
  }
  return [];
}

function emailHtml(
  version: CompiledTemplate,
  validation: 'strict' | 'soft',
  warnings: TemplateWarning[],
): { ok: true; html: string } | { ok: false; errors: TemplateIssue[] } {
  const source = version.bodySource ?? '';
  if (version.bodyFormat !== 'mjml') return { ok: true, html: source };

  const compiled = compileMjml(source);
  const mjmlErrors = compiled.mjmlErrors.map((e) => issue('TEMPLATE_INVALID', e.message, 'body', e.position));
  if (!compiled.ok) {
    const placement = compiled.placement.map((p) => issue('TEMPLATE_INVALID', p.message, 'body', p.position));
    return { ok: false, errors: [...placement, ...mjmlErrors] };
  }
  if (validation === 'strict' && mjmlErrors.length > 0) return { ok: false, errors: mjmlErrors };
  for (const e of mjmlErrors)
    warnings.push(warning('MJML_INVALID', e.message, 'body', e.line === null ? null : { line: e.line, column: e.column ?? 1 }));

  const reparsed = parseHandlebars(compiled.html);
  if (!reparsed.ok) {
    return {
      ok: false,
      errors: [
        issue(
          'TEMPLATE_INVALID',
          'After MJML compilation the Handlebars blocks no longer nest; keep each block inside one element or attribute value',
          'body',
        ),
      ],
    };
  }
  const bytes = utf8Length(compiled.html);
  if (bytes > TEMPLATE_LIMITS.maxOutputBytes) {
    const message = `The MJML compiles to ${kib(bytes)} KiB of HTML, over the ${kib(TEMPLATE_LIMITS.maxOutputBytes)} KiB a rendered email may have`;
    return { ok: false, errors: [issue('TEMPLATE_TOO_LARGE', message, 'body')] };
  }
  return { ok: true, html: compiled.html };
}
