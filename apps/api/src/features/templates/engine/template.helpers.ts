import Handlebars from 'handlebars';
import { LruCache } from './lru-cache.js';
import { markPrinted } from './url-attributes.js';

/** The helpers Orqestra adds; with Handlebars' if/unless/each/with/lookup they are the only ones. */
export const BUILT_IN_HELPERS = [
  'formatDate',
  'formatNumber',
  'formatCurrency',
  'default',
  'eq',
  'ne',
  'gt',
  'lt',
  'and',
  'or',
  'not',
] as const;
const HANDLEBARS_HELPERS = ['if', 'unless', 'each', 'with', 'lookup'] as const;
const KNOWN = new Set<string>([...BUILT_IN_HELPERS, ...HANDLEBARS_HELPERS]);

/** Wraps every printed value at render time (render-guard.ts); templates cannot call it. */
export const OUTPUT_HELPER = '__output';
/**
 * The output helper of HTML bodies: also marks where each printed value lies in the output, so
 * that URL attributes can be checked once rendered (url-attributes.ts).
 */
export const HTML_OUTPUT_HELPER = '__html_output';

/** The length Handlebars will print for a value (before escaping, which only adds). */
function printedLength(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) return String(value).length;
  return 0;
}

export function isKnownHelper(name: string): boolean {
  return KNOWN.has(name);
}

/**
 * Compile options shared by validation and rendering: only the helpers above resolve (`log`
 * is dropped: it would write tenant text to our console), unknown names are property lookups.
 */
export function compileOptions(noEscape: boolean): CompileOptions {
  const knownHelpers: Record<string, boolean> = {
    helperMissing: true,
    blockHelperMissing: true,
    log: false,
    [OUTPUT_HELPER]: true,
    [HTML_OUTPUT_HELPER]: true,
  };
  for (const name of KNOWN) knownHelpers[name] = true;
  return { knownHelpers, knownHelpersOnly: true, strict: false, noEscape, data: true, compat: false };
}
type CompileOptions = NonNullable<Parameters<typeof Handlebars.compile>[1]>;

/** What helpers see of the render in progress. */
export interface HelperRuntime {
  locale: string;
  timeZone: string;
  warn(message: string): void;
  /** Called before every helper runs; throws to abort when the time budget is spent. */
  checkpoint(): void;
  /** Called for every printed value with its length; throws to abort (time or size). */
  printed(length: number): void;
  /** Called after each loop iteration with the length of what the loop produced so far; throws to abort. */
  iterationDone(loopOutputLength: number): void;
}

type HelperFn = (...args: unknown[]) => unknown;
type HelperOptions = Handlebars.HelperOptions;

/**
 * A Handlebars environment of its own (helpers registered here are invisible to any other)
 * with the built-in helpers bound to `runtime()`, the render in progress. Rendering is
 * synchronous, so one mutable "current render" per environment is safe.
 */
export function createTemplateEnvironment(runtime: () => HelperRuntime | undefined): typeof Handlebars {
  const env = Handlebars.create();
  env.unregisterHelper('log');
  const current = (): HelperRuntime => runtime() ?? FALLBACK_RUNTIME;
  const helpers: Record<(typeof BUILT_IN_HELPERS)[number], HelperFn> = {
    formatDate: (...args) => formatDate(current(), args),
    formatNumber: (...args) => formatNumber(current(), args),
    formatCurrency: (...args) => formatCurrency(current(), args),
    default: (...args) => {
      const [value, fallback] = split(args).params;
      return isMissing(value) ? (fallback ?? '') : value;
    },
    eq: (...args) => compare(current(), 'eq', args, (a, b) => a === b),
    ne: (...args) => compare(current(), 'ne', args, (a, b) => a !== b),
    gt: (...args) => compareNumbers(current(), 'gt', args, (a, b) => a > b),
    lt: (...args) => compareNumbers(current(), 'lt', args, (a, b) => a < b),
    and: (...args) => split(args).params.every(isTruthy),
    or: (...args) => split(args).params.some(isTruthy),
    not: (...args) => !isTruthy(split(args).params[0]),
  };
  for (const [name, fn] of Object.entries(helpers)) env.registerHelper(name, fn);
  env.registerHelper(OUTPUT_HELPER, (value: unknown) => {
    runtime()?.printed(printedLength(value));
    return value;
  });
  env.registerHelper(HTML_OUTPUT_HELPER, (value: unknown) => {
    runtime()?.printed(printedLength(value));
    return markPrinted(value);
  });

  // Loops are the only way a template's work can grow beyond its size: check the budget after
  // every iteration (Handlebars' section syntax {{#list}} also goes through `each`).
  const builtInEach = env.helpers.each as HelperFn;
  env.registerHelper('each', function (this: unknown, value: unknown, options: HelperOptions) {
    const run = runtime();
    if (!run || !options?.fn) return builtInEach.call(this, value, options);
    const fn = options.fn;
    let produced = 0;
    const guarded = Object.assign((context: unknown, opts?: Handlebars.RuntimeOptions) => {
      const out = fn(context, opts);
      produced += out.length;
      run.iterationDone(produced);
      return out;
    }, fn);
    return builtInEach.call(this, value, { ...options, fn: guarded });
  });

  // Every helper call is a checkpoint for the time budget (see render-guard.ts).
  for (const [name, fn] of Object.entries(env.helpers)) {
    if (name === OUTPUT_HELPER || name === HTML_OUTPUT_HELPER) continue;
    env.registerHelper(name, function (this: unknown, ...args: unknown[]) {
      runtime()?.checkpoint();
      return (fn as HelperFn).apply(this, args);
    });
  }
  return env;
}

const FALLBACK_RUNTIME: HelperRuntime = {
  locale: 'en',
  timeZone: 'UTC',
  warn: () => undefined,
  checkpoint: () => undefined,
  printed: () => undefined,
  iterationDone: () => undefined,
};

function split(args: unknown[]): { params: unknown[]; hash: Record<string, unknown> } {
  const options = args.at(-1) as Partial<HelperOptions> | undefined;
  return { params: args.slice(0, -1), hash: (options?.hash ?? {}) as Record<string, unknown> };
}

function isMissing(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/** Handlebars' #if truthiness: false, 0, '', null, undefined and [] are false. */
function isTruthy(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : Boolean(value);
}

/** The raw value for output when a helper cannot format it: primitives as text, anything else empty. */
function raw(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

function show(value: unknown): string {
  const text =
    typeof value === 'string'
      ? `"${value}"`
      : Array.isArray(value)
        ? 'a list'
        : value === null
          ? 'null'
          : typeof value === 'object'
            ? 'an object'
            : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(value)) return Number(value);
  return undefined;
}

function toDate(value: unknown): Date | undefined {
  const date =
    value instanceof Date
      ? value
      : typeof value === 'number'
        ? new Date(value)
        : typeof value === 'string'
          ? new Date(value.trim())
          : undefined;
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}

const DATE_STYLES = new Set(['short', 'medium', 'long', 'full']);
const formatters = new LruCache<string, Intl.DateTimeFormat | Intl.NumberFormat>(256);

function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${locale}|${JSON.stringify(options)}`;
  return formatters.getOrCreate(key, () => new Intl.DateTimeFormat(locale, options)) as Intl.DateTimeFormat;
}

function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${locale}|${JSON.stringify(options)}`;
  return formatters.getOrCreate(key, () => new Intl.NumberFormat(locale, options)) as Intl.NumberFormat;
}

function formatDate(run: HelperRuntime, args: unknown[]): string {
  const { params, hash } = split(args);
  const value = params[0];
  if (isMissing(value)) {
    run.warn('formatDate got no value');
    return '';
  }
  const date = toDate(value);
  if (!date) {
    run.warn(`formatDate: ${show(value)} is not a date (give an ISO 8601 string or milliseconds since 1970)`);
    return raw(value);
  }
  const options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeZone: run.timeZone };
  for (const key of ['style', 'timeStyle'] as const) {
    const style = hash[key];
    if (style === undefined) continue;
    if (typeof style === 'string' && DATE_STYLES.has(style)) {
      options[key === 'style' ? 'dateStyle' : 'timeStyle'] = style as Intl.DateTimeFormatOptions['dateStyle'];
    } else {
      run.warn(`formatDate: ${key}=${show(style)} is not one of short, medium, long, full`);
    }
  }
  if (hash.timeZone !== undefined) {
    const zone = String(hash.timeZone);
    try {
      dateFormat('en', { timeZone: zone });
      options.timeZone = zone;
    } catch {
      run.warn(`formatDate: unknown time zone ${show(hash.timeZone)}; used ${run.timeZone}`);
    }
  }
  return dateFormat(run.locale, options).format(date);
}

function fractionOptions(run: HelperRuntime, helper: string, hash: Record<string, unknown>): Intl.NumberFormatOptions {
  const options: Intl.NumberFormatOptions = {};
  for (const key of ['minimumFractionDigits', 'maximumFractionDigits'] as const) {
    if (hash[key] === undefined) continue;
    const digits = toNumber(hash[key]);
    if (digits !== undefined && Number.isInteger(digits) && digits >= 0 && digits <= 20) options[key] = digits;
    else run.warn(`${helper}: ${key}=${show(hash[key])} must be a whole number from 0 to 20`);
  }
  return options;
}

function safeNumberFormat(run: HelperRuntime, helper: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  try {
    return numberFormat(run.locale, options);
  } catch (error) {
    run.warn(`${helper}: ${(error as Error).message}; used the default format`);
    const { style, currency } = options;
    return numberFormat(run.locale, style === 'currency' ? { style, currency } : {});
  }
}

function formatNumber(run: HelperRuntime, args: unknown[]): string {
  const { params, hash } = split(args);
  const number = toNumber(params[0]);
  if (number === undefined) {
    run.warn(`formatNumber: ${show(params[0])} is not a number`);
    return raw(params[0]);
  }
  return safeNumberFormat(run, 'formatNumber', fractionOptions(run, 'formatNumber', hash)).format(number);
}

function formatCurrency(run: HelperRuntime, args: unknown[]): string {
  const { params, hash } = split(args);
  const [value, currency] = params;
  const number = toNumber(value);
  if (number === undefined) {
    run.warn(`formatCurrency: ${show(value)} is not a number`);
    return raw(value);
  }
  const options = fractionOptions(run, 'formatCurrency', hash);
  if (typeof currency !== 'string' || !/^[A-Za-z]{3}$/.test(currency)) {
    run.warn(`formatCurrency: ${show(currency)} is not an ISO 4217 currency code such as "EUR"`);
    return safeNumberFormat(run, 'formatCurrency', options).format(number);
  }
  return safeNumberFormat(run, 'formatCurrency', { ...options, style: 'currency', currency: currency.toUpperCase() }).format(number);
}

function compare(run: HelperRuntime, name: string, args: unknown[], test: (a: unknown, b: unknown) => boolean): boolean {
  const { params } = split(args);
  if (params.length !== 2) {
    run.warn(`${name} compares exactly two values, got ${params.length}`);
    return false;
  }
  return test(params[0], params[1]);
}

function compareNumbers(run: HelperRuntime, name: string, args: unknown[], test: (a: number, b: number) => boolean): boolean {
  const { params } = split(args);
  const [a, b] = params.map(toNumber);
  if (params.length !== 2 || a === undefined || b === undefined) {
    run.warn(`${name} compares two numbers, got ${params.map(show).join(' and ') || 'nothing'}`);
    return false;
  }
  return test(a, b);
}
