import { CATEGORIES, MAX_RENDERED_BYTES, type Channel, type ErrorCode } from '@orqestra/contracts';

/** SPEC §4 limits. Sizes are UTF-8 bytes. */
export const TEMPLATE_LIMITS = {
  /** Per source field (subject, body, text part, title, push body, data) and for their sum. */
  maxSourceBytes: 100 * 1024,
  /** Wall-clock budget for one render of every field of a version. */
  maxRenderMs: 50,
  /** Rendered content as it travels in the dispatch message (same measure as contracts). */
  maxOutputBytes: MAX_RENDERED_BYTES,
} as const;

export type BodyFormat = 'mjml' | 'html' | 'text';
export type PushCategory = (typeof CATEGORIES)[number];
export const PUSH_CATEGORIES: readonly string[] = CATEGORIES;

/** What an author submits when saving a version (one object per channel, unused fields absent). */
export interface TemplateDraft {
  channel: Channel;
  /** EMAIL: plain-text subject line (Handlebars). */
  subject?: string;
  /** EMAIL: 'mjml' or 'html'; SMS: 'text' (or absent). Ignored for PUSH. */
  bodyFormat?: BodyFormat;
  /** EMAIL: MJML or HTML source; SMS: the message text. Not used by PUSH. */
  body?: string;
  /** EMAIL: optional plain-text part; derived from the rendered HTML when absent. */
  textBody?: string;
  /** PUSH: title and body; HTML tags are stripped from both after rendering. */
  title?: string;
  pushBody?: string;
  /** PUSH: one of info|success|warning|alert|error (default info). */
  category?: string;
  /** PUSH: JSON object delivered with the notification; its string values are templates too. */
  data?: Record<string, unknown>;
}

/**
 * A saved, immutable version in the shape of the `template_versions` columns: the Handlebars
 * sources, plus for EMAIL the HTML produced from MJML at save time (Handlebars still in it).
 */
export interface CompiledTemplate {
  channel: Channel;
  subject: string | null;
  bodyFormat: BodyFormat | null;
  /** What the author wrote (MJML, HTML or SMS text). */
  bodySource: string | null;
  /** EMAIL only: the HTML that Handlebars renders per send. */
  compiledHtml: string | null;
  textBody: string | null;
  title: string | null;
  pushBody: string | null;
  category: PushCategory | null;
  data: Record<string, unknown> | null;
}

/** A stored version as the renderer sees it; `id` (immutable version id) keys the cache. */
export interface RenderableTemplate extends CompiledTemplate {
  id?: string;
}

/** The source field an error or warning points into (`data.<path>` for push data values). */
export type TemplateField =
  'subject' | 'body' | 'textBody' | 'title' | 'pushBody' | 'category' | 'bodyFormat' | 'template' | `data${string}`;

/** A coded problem that stops a save or a render. Line and column are 1-based, null when the problem has no place. */
export interface TemplateIssue {
  code: Extract<ErrorCode, 'TEMPLATE_INVALID' | 'TEMPLATE_TOO_LARGE' | 'TEMPLATE_RENDER_TIMEOUT' | 'TEMPLATE_OUTPUT_TOO_LARGE'>;
  message: string;
  field: TemplateField | null;
  line: number | null;
  column: number | null;
}

export type TemplateWarningCode =
  /** A variable the template reads is not in the preview's sample. */
  | 'UNKNOWN_VARIABLE'
  /** MJML reported a problem (preview of a draft; a save rejects these). */
  | 'MJML_INVALID'
  /** A helper received a value it cannot use and rendered the raw value or nothing. */
  | 'HELPER_INVALID_INPUT'
  /** The requested locale is not a valid BCP 47 tag; `en` was used. */
  | 'LOCALE_INVALID';

/** Something the author should look at; rendering still succeeded. */
export interface TemplateWarning {
  code: TemplateWarningCode;
  message: string;
  field: TemplateField | null;
  line: number | null;
  column: number | null;
}

/** Content as the dispatch message carries it (contracts `contentSchema`). */
export interface RenderedContent {
  subject?: string;
  html?: string;
  text?: string;
  body?: string;
  title?: string;
  category?: PushCategory;
  data?: Record<string, unknown>;
}

export function issue(
  code: TemplateIssue['code'],
  message: string,
  field: TemplateField | null = null,
  position: { line: number; column: number } | null = null,
): TemplateIssue {
  return { code, message, field, line: position?.line ?? null, column: position?.column ?? null };
}

export function warning(
  code: TemplateWarningCode,
  message: string,
  field: TemplateField | null = null,
  position: { line: number; column: number } | null = null,
): TemplateWarning {
  return { code, message, field, line: position?.line ?? null, column: position?.column ?? null };
}

/** Push data's string values with their field names (`data.url`, `data.links.0.label`). */
export function dataStrings(data: Record<string, unknown> | null): { field: TemplateField; source: string }[] {
  const found: { field: TemplateField; source: string }[] = [];
  const walk = (value: unknown, path: `data${string}`) => {
    if (typeof value === 'string') found.push({ field: path, source: value });
    else if (Array.isArray(value)) value.forEach((item, index) => walk(item, `${path}.${index}`));
    else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) walk(item, `${path}.${key}`);
  };
  if (data) walk(data, 'data');
  return found;
}
