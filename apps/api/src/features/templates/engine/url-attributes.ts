import Handlebars from 'handlebars';

/**
 * Links a variable could aim at script (issue 13 item 7): in an HTML body, the value of a URL
 * attribute (`href`, `src`, `action`, …) is checked as the browser will read it, after every
 * value printed into it has been substituted. Checking each variable alone is not enough:
 * `href="{{a}}{{b}}"` with a = "javascript" and b = ":alert(1)", or `href="java{{b}}"` with
 * b = "script:…", spell the scheme across several pieces, none of which has one.
 *
 * While an HTML body renders, every printed value is bracketed by two noncharacters (Unicode
 * keeps U+FDD0–U+FDEF for a program's internal use; they are removed from the values themselves,
 * so a value cannot forge them). Afterwards `checkUrlAttributes` knows, for each URL attribute,
 * which characters of its value came from values and which from the template, and removes the
 * markers. A value whose scheme the template fixed (static text reaching its `:` as in
 * `src="cid:{{id}}"`, or a character no scheme can contain as in `href="/{{path}}"`) is the
 * author's choice and stays as written; any other value that contains a printed value must be an
 * http, https, mailto or tel URL, or a relative one, or it becomes REFUSED_URL.
 */
const START = '\uFDD0';
const END = '\uFDD1';
const MARKERS = /[\uFDD0\uFDD1]/g;

const SAFE_URL_SCHEMES = new Set(['http', 'https', 'mailto', 'tel']);
/** What a refused URL attribute value becomes: a link to nowhere. */
export const REFUSED_URL = '#';

/**
 * Attributes whose value a browser loads or follows as a URL, with their value (double-quoted,
 * single-quoted or bare). Before the name: whitespace, or the quote or slash that may end what
 * precedes it inside a tag (`<a/href=…>`, `x="1"href=…` are both read as attributes).
 */
const URL_ATTRIBUTE =
  /(?<=[\s"'/])(?:href|src|action|formaction|xlink:href|poster|background|cite|srcset)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi;

/** A printed value with its markers, as Handlebars will print it (null and undefined print nothing). */
export function markPrinted(value: unknown): unknown {
  if (value instanceof Handlebars.SafeString) return new Handlebars.SafeString(`${START}${value.toHTML().replace(MARKERS, '')}${END}`);
  const text = value === null || value === undefined ? '' : String(value);
  return `${START}${text.replace(MARKERS, '')}${END}`;
}

/**
 * The rendered HTML without markers, with every URL attribute value that printed values made
 * unsafe replaced by REFUSED_URL.
 */
export function checkUrlAttributes(marked: string): string {
  const { text, printed } = unmark(marked);
  if (printed.length === 0) return text;
  let out = '';
  let copied = 0;
  let next = 0; // index into `printed`: ranges that end before the current attribute are behind us
  for (const match of text.matchAll(URL_ATTRIBUTE)) {
    const value = match[1] ?? match[2] ?? match[3] ?? '';
    const end = (match.index ?? 0) + match[0].length - (match[3] === undefined ? 1 : 0);
    const start = end - value.length;
    while (next < printed.length && (printed[next]?.[1] ?? 0) <= start) next += 1;
    const range = printed[next];
    if (range === undefined || range[0] >= end) continue; // the template's own text only
    const firstPrinted = Math.max(range[0], start);
    if (schemeFixedBy(text.slice(start, firstPrinted)) || isSafeUrl(value)) continue;
    out += text.slice(copied, start) + REFUSED_URL;
    copied = end;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** The text without markers, and the [start, end) ranges of it that printed values produced. */
function unmark(marked: string): { text: string; printed: [number, number][] } {
  if (!marked.includes(START)) return { text: marked.replace(MARKERS, ''), printed: [] };
  const printed: [number, number][] = [];
  let text = '';
  let opened: number | undefined;
  for (const piece of marked.split(/([\uFDD0\uFDD1])/)) {
    if (piece === START) opened ??= text.length;
    else if (piece === END) {
      if (opened !== undefined && text.length > opened) printed.push([opened, text.length]);
      opened = undefined;
    } else text += piece;
  }
  if (opened !== undefined && text.length > opened) printed.push([opened, text.length]);
  return { text, printed };
}

/** Browsers ignore control characters and whitespace inside a scheme ("java\nscript:"); so does this check. */
function compact(url: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what a browser strips from a scheme
  return url.replace(/[\u0000-\u0020\u007f]+/g, '').toLowerCase();
}

/**
 * Whether static text at the start of a URL already decides its scheme: it reaches the scheme's
 * `:`, or has a character no scheme contains (then the URL has none). An `&` decides nothing: a
 * character reference there may spell any character, a colon included.
 */
function schemeFixedBy(prefix: string): boolean {
  const text = compact(prefix);
  const rest = text.slice(/^[a-z][a-z0-9+.-]*/.exec(text)?.[0].length ?? 0);
  return rest !== '' && !rest.startsWith('&');
}

/**
 * An http, https, mailto or tel URL, or one without a scheme. A scheme-like start followed by `&`
 * (`javascript&colon;…`, `&#106;avascript:…`) is refused too: the browser decodes the reference.
 */
export function isSafeUrl(url: string): boolean {
  const text = compact(url);
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(text);
  if (scheme) return SAFE_URL_SCHEMES.has(scheme[1] ?? '');
  return !/^([a-z][a-z0-9+.-]*)?&/.test(text);
}
