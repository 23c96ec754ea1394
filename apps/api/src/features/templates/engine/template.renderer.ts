import type Handlebars from 'handlebars';
import { canonicalLocale, FALLBACK_LOCALE } from './locale-chain.js';
import { parseForRender } from './render-guard.js';
import { LruCache } from './lru-cache.js';
import { htmlToText, stripTags } from './plain-text.js';
import { utf8Length } from './source-position.js';
import { compileOptions, createTemplateEnvironment, type HelperRuntime } from './template.helpers.js';
import { checkUrlAttributes } from './url-attributes.js';
import {
  TEMPLATE_LIMITS,
  issue,
  warning,
  type RenderableTemplate,
  type RenderedContent,
  type TemplateField,
  type TemplateIssue,
  type TemplateWarning,
  dataStrings,
} from './template.types.js';

export interface RendererOptions {
  /** Compiled Handlebars functions kept, keyed by version id and field (default 1000). */
  cacheSize?: number;
  /** Budget of CPU time for running the template (default 50 ms, SPEC §4). */
  maxRenderMs?: number;
  /**
   * Wall-clock ceiling (default 20 × maxRenderMs): a render still running after it while its CPU
   * time is within the budget was slowed by the machine, not by the template, and is retryable.
   */
  maxWallMs?: number;
  /** Rendered content limit in UTF-8 bytes of its JSON (default 256 KiB, SPEC §1.1). */
  maxOutputBytes?: number;
  /** Wall-clock milliseconds from an arbitrary origin; tests inject a fake. */
  clock?: () => number;
  /** CPU milliseconds this process has used (process.cpuUsage()); tests inject a fake. */
  cpuClock?: () => number;
  /** Time zone formatDate uses unless the template names one (default UTC). */
  timeZone?: string;
}

export interface RenderRequest {
  /** The event's payload (userId, recipientEmail, …); `variables` win on a name clash (SPEC §2.1). */
  payload?: Record<string, unknown>;
  variables?: Record<string, unknown>;
  /** BCP 47 tag for the formatting helpers; invalid or absent → `en`. */
  locale?: string | null;
}

/**
 * `retryable`: the failure may be the machine's (a render slowed past the wall-clock ceiling while
 * its CPU time stayed within budget), so the caller should try again later instead of failing the
 * notification for good.
 */
export type RenderResult =
  | { ok: true; content: RenderedContent; warnings: TemplateWarning[]; durationMs: number }
  | { ok: false; error: TemplateIssue; warnings: TemplateWarning[]; durationMs: number; retryable: boolean };

type Delegate = Handlebars.TemplateDelegate;

/**
 * Handlebars' defaults deny prototype properties and methods; saying so explicitly keeps that
 * and stops Handlebars from printing a console warning each time a template probes one.
 */
const RUNTIME_OPTIONS: Handlebars.RuntimeOptions = { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false };

class RenderAborted extends Error {
  constructor(
    readonly issue: TemplateIssue,
    readonly retryable = false,
  ) {
    super(issue.message);
  }
}

/** Which budget a render ran past, if any. */
type Overrun = 'cpu' | 'wall' | undefined;

function processCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** The render in progress, as helpers see it. */
class ActiveRender implements HelperRuntime {
  field: TemplateField | null = null;
  readonly warnings: TemplateWarning[] = [];
  /** Characters of values printed so far, across fields (before escaping, which only adds). */
  private printedLength = 0;

  constructor(
    readonly locale: string,
    readonly timeZone: string,
    private readonly deadline: () => Overrun,
    readonly limits: { maxRenderMs: number; maxOutputBytes: number },
  ) {}

  warn(message: string): void {
    if (!this.warnings.some((w) => w.message === message && w.field === this.field)) {
      this.warnings.push(warning('HELPER_INVALID_INPUT', message, this.field));
    }
  }

  checkpoint(): void {
    const overrun = this.deadline();
    if (overrun) throw new RenderAborted(timeoutIssue(this.field, this.limits.maxRenderMs, overrun), overrun === 'wall');
  }

  printed(length: number): void {
    this.printedLength += length;
    if (this.printedLength > this.limits.maxOutputBytes) throw new RenderAborted(tooLargeIssue(this.field, this.limits.maxOutputBytes));
    this.checkpoint();
  }

  iterationDone(loopOutputLength: number): void {
    if (loopOutputLength > this.limits.maxOutputBytes) throw new RenderAborted(tooLargeIssue(this.field, this.limits.maxOutputBytes));
    this.checkpoint();
  }
}

function timeoutIssue(field: TemplateField | null, maxRenderMs: number, overrun: Overrun): TemplateIssue {
  const message =
    overrun === 'wall'
      ? `Rendering was slowed past its wall-clock ceiling by a busy machine (CPU time within ${maxRenderMs} ms); it will be retried`
      : `Rendering took more than ${maxRenderMs} ms of CPU time`;
  return issue('TEMPLATE_RENDER_TIMEOUT', message, field);
}

function tooLargeIssue(field: TemplateField | null, maxOutputBytes: number, bytes?: number): TemplateIssue {
  const size = bytes === undefined ? 'over' : `${Math.ceil(bytes / 1024)} KiB,`;
  return issue('TEMPLATE_OUTPUT_TOO_LARGE', `The rendered content is ${size} the limit of ${maxOutputBytes / 1024} KiB`, field);
}

let intlReady = false;

/** The first Intl formatter of a process loads ICU data (~20 ms); pay that before any budget runs. */
function warmUpIntl(): void {
  if (intlReady) return;
  new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' }).format(0);
  new Intl.NumberFormat('en', { style: 'currency', currency: 'EUR' }).format(0);
  intlReady = true;
}

/**
 * Renders stored versions per send (SPEC §4). One instance per process: it owns an isolated
 * Handlebars environment with the built-in helpers and a bounded cache of compiled templates.
 * Never throws for template or data problems: failures come back as coded results.
 */
export class TemplateRenderer {
  private readonly env: typeof Handlebars;
  private readonly cache: LruCache<string, Delegate>;
  private readonly maxRenderMs: number;
  private readonly maxWallMs: number;
  private readonly maxOutputBytes: number;
  private readonly clock: () => number;
  private readonly cpuClock: () => number;
  private readonly timeZone: string;
  private active: ActiveRender | undefined;

  constructor(options: RendererOptions = {}) {
    this.cache = new LruCache(options.cacheSize ?? 1000);
    this.maxRenderMs = options.maxRenderMs ?? TEMPLATE_LIMITS.maxRenderMs;
    this.maxOutputBytes = options.maxOutputBytes ?? TEMPLATE_LIMITS.maxOutputBytes;
    this.maxWallMs = options.maxWallMs ?? this.maxRenderMs * 20;
    this.clock = options.clock ?? (() => performance.now());
    this.cpuClock = options.cpuClock ?? processCpuMs;
    this.timeZone = options.timeZone ?? 'UTC';
    this.env = createTemplateEnvironment(() => this.active);
    warmUpIntl();
  }

  /** Number of compiled fields in the cache (for metrics and tests). */
  get cachedTemplates(): number {
    return this.cache.size;
  }

  render(template: RenderableTemplate, request: RenderRequest = {}): RenderResult {
    const requested = request.locale ?? null;
    const locale = canonicalLocale(requested) ?? FALLBACK_LOCALE;
    // CPU time is the budget (a template's own cost); the wall clock only bounds how long a busy
    // machine may hold the worker before the render is given up and retried later.
    let started = this.clock();
    let cpuStarted = this.cpuClock();
    const overBudget = (): Overrun => {
      if (this.cpuClock() - cpuStarted > this.maxRenderMs) return 'cpu';
      return this.clock() - started > this.maxWallMs ? 'wall' : undefined;
    };
    const limits = { maxRenderMs: this.maxRenderMs, maxOutputBytes: this.maxOutputBytes };
    const run = new ActiveRender(locale, this.timeZone, overBudget, limits);
    if (requested !== null && requested !== '' && canonicalLocale(requested) === undefined) {
      run.warnings.push(warning('LOCALE_INVALID', `"${requested}" is not a BCP 47 locale; formatted for ${FALLBACK_LOCALE}`));
    }
    const context = { ...request.payload, ...request.variables };
    const done = (
      result: { ok: true; content: RenderedContent } | { ok: false; error: TemplateIssue; retryable?: boolean },
    ): RenderResult =>
      result.ok
        ? { ...result, warnings: run.warnings, durationMs: this.clock() - started }
        : { ...result, retryable: result.retryable ?? false, warnings: run.warnings, durationMs: this.clock() - started };

    const previous = this.active;
    this.active = run;
    try {
      // Compiling (or the cache lookup) happens first; the time budget covers running the template.
      const fields = this.prepare(template);
      started = this.clock();
      cpuStarted = this.cpuClock();
      const content = this.execute(template, fields, context, run);
      const overrun = overBudget();
      if (overrun) return done({ ok: false, error: timeoutIssue(null, this.maxRenderMs, overrun), retryable: overrun === 'wall' });
      this.finish(template, content);
      const size = this.measure(content);
      if (size > this.maxOutputBytes) return done({ ok: false, error: tooLargeIssue(null, this.maxOutputBytes, size) });
      return done({ ok: true, content });
    } catch (error) {
      if (error instanceof RenderAborted) return done({ ok: false, error: error.issue, retryable: error.retryable });
      if (error instanceof RangeError && error.message === 'Invalid string length') {
        return done({ ok: false, error: tooLargeIssue(run.field, this.maxOutputBytes) }); // past V8's string limit
      }
      const message = `Rendering ${run.field ?? 'the template'} failed: ${(error as Error).message.replace(/ - \d+:\d+$/, '')}`;
      return done({ ok: false, error: issue('TEMPLATE_INVALID', message, run.field) });
    } finally {
      this.active = previous;
    }
  }

  /** The compiled Handlebars function of every field the channel uses. */
  private prepare(template: RenderableTemplate): Map<TemplateField, Delegate> {
    const fields = new Map<TemplateField, Delegate>();
    const add = (field: TemplateField, source: string | null, escape: boolean, required: boolean) => {
      if (source !== null) fields.set(field, this.delegate(template.id, field, source, escape));
      else if (required)
        throw new RenderAborted(issue('TEMPLATE_INVALID', `The stored ${template.channel} version has no ${field}`, field));
    };
    switch (template.channel) {
      case 'EMAIL':
        add('subject', template.subject, false, true);
        add('body', template.compiledHtml, true, true);
        add('textBody', template.textBody, false, false);
        break;
      case 'SMS':
        add('body', template.bodySource, false, true);
        break;
      case 'PUSH':
        add('title', template.title, false, true);
        add('pushBody', template.pushBody, false, true);
        for (const { field, source } of dataStrings(template.data)) add(field, source, false, true);
        break;
      default:
        throw new RenderAborted(issue('TEMPLATE_INVALID', `Unknown channel ${String(template.channel)}`, 'template'));
    }
    return fields;
  }

  /** Runs the prepared functions (inside the time budget). */
  private execute(template: RenderableTemplate, fields: Map<TemplateField, Delegate>, context: object, run: ActiveRender): RenderedContent {
    const field = (name: TemplateField, html = false): string | undefined => {
      const delegate = fields.get(name);
      if (!delegate) return undefined;
      run.field = name;
      const rendered = delegate(context, RUNTIME_OPTIONS);
      // An HTML body's printed values are marked (render-guard.ts): its URL attributes are checked
      // as rendered, and the marks removed.
      const out = html ? checkUrlAttributes(rendered) : rendered;
      if (out.length > this.maxOutputBytes) throw new RenderAborted(tooLargeIssue(name, this.maxOutputBytes, out.length));
      return out;
    };
    switch (template.channel) {
      case 'EMAIL':
        return { subject: field('subject'), html: field('body', true), text: field('textBody') };
      case 'SMS':
        return { body: field('body') };
      default: {
        const data = template.data
          ? (this.renderData(template.data, 'data', (name) => field(name) ?? '') as Record<string, unknown>)
          : undefined;
        return { title: field('title'), body: field('pushBody'), category: template.category ?? 'info', ...(data ? { data } : {}) };
      }
    }
  }

  private renderData(value: unknown, path: `data${string}`, render: (field: TemplateField) => string): unknown {
    if (typeof value === 'string') return render(path);
    if (Array.isArray(value)) return value.map((item, index) => this.renderData(item, `${path}.${index}`, render));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.renderData(item, `${path}.${key}`, render)]));
    }
    return value;
  }

  /** Per-channel post-processing after Handlebars (outside the template's time budget). */
  private finish(template: RenderableTemplate, content: RenderedContent): void {
    if (content.subject !== undefined) content.subject = content.subject.replace(/\s*[\r\n]+\s*/g, ' ').trim();
    if (content.html !== undefined && content.text === undefined) {
      if (content.html.length > this.maxOutputBytes)
        throw new RenderAborted(tooLargeIssue('body', this.maxOutputBytes, content.html.length));
      content.text = htmlToText(content.html);
    }
    if (template.channel === 'PUSH') {
      if (content.title !== undefined) content.title = stripTags(content.title).replace(/\s*\n+\s*/g, ' ');
      if (content.body !== undefined) content.body = stripTags(content.body);
    }
  }

  private measure(content: RenderedContent): number {
    const strings = [content.subject, content.html, content.text, content.body, content.title];
    const length = strings.reduce((sum, s) => sum + (s?.length ?? 0), 0);
    // UTF-8 never takes fewer bytes than UTF-16 units: a long string is too large without encoding it.
    if (length > this.maxOutputBytes) return length;
    return utf8Length(JSON.stringify(content));
  }

  private delegate(id: string | undefined, field: TemplateField, source: string, escape: boolean): Delegate {
    const compile = () => {
      const delegate = this.env.compile(parseForRender(source, escape), compileOptions(!escape));
      // Handlebars compiles on first use; `_setup` makes that happen now, outside the budget.
      (delegate as unknown as { _setup(options: object): unknown })._setup({});
      return delegate;
    };
    if (id === undefined) return compile();
    return this.cache.getOrCreate(`${id}\u0000${field}`, compile);
  }
}
