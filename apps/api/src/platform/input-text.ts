import type { ErrorDetail } from './errors.js';

/**
 * Input limits every route shares (docs/reliability.md "Input limits and fuzzing"): JSON bodies
 * nest at most MAX_JSON_DEPTH levels, and no string (value or key, body, query or path) holds
 * NUL or an unpaired UTF-16 surrogate, which PostgreSQL refuses in text and jsonb and which
 * would otherwise be accepted here and fail later in the worker.
 */
export const MAX_JSON_DEPTH = 64;

// NUL is exactly the control character this exists to find.
// eslint-disable-next-line no-control-regex
const BAD_CHARACTER = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
export const BAD_CHARACTER_MESSAGE = 'must not contain NUL (U+0000) or an unpaired surrogate';
/** More problems than this are not listed one by one. */
const MAX_DETAILS = 20;

/** True when the string holds NUL or a lone surrogate. */
export function hasBadCharacter(text: string): boolean {
  return BAD_CHARACTER.test(text);
}

/**
 * Whether JSON text opens more than `max` nested arrays/objects, found by one pass over the text
 * before JSON.parse builds anything (so no recursive walk of the tree can overflow the stack).
 * Brackets inside strings do not count; invalid JSON is left for JSON.parse to refuse.
 */
export function jsonDepthExceeds(text: string, max = MAX_JSON_DEPTH): boolean {
  // Fast path (every trigger request): a text with at most `max` opening brackets, strings
  // included, cannot nest deeper than `max`; counted with native indexOf instead of a JS loop.
  if (openingBracketsAtMost(text, max)) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

function openingBracketsAtMost(text: string, max: number): boolean {
  let count = 0;
  for (const bracket of ['{', '[']) {
    for (let i = text.indexOf(bracket); i !== -1; i = text.indexOf(bracket, i + 1)) if (++count > max) return false;
  }
  return true;
}

/**
 * Whether parsed JSON text can hold a bad character at all. JSON forbids raw control characters
 * in strings, and text decoded from UTF-8 holds no lone surrogate (invalid bytes become U+FFFD),
 * so NUL or a lone surrogate can only come from a \u escape: text without any `\u` needs no walk.
 */
export function mayHoldBadCharacter(jsonText: string): boolean {
  return jsonText.includes('\\u');
}

/**
 * Every string (and object key) of a parsed value holding a bad character, as 422 details with
 * dotted paths under `prefix`. The value must come from a depth-checked parse.
 */
export function badTextDetails(value: unknown, prefix = ''): ErrorDetail[] {
  const found: ErrorDetail[] = [];
  const visit = (node: unknown, path: string): void => {
    if (found.length >= MAX_DETAILS) return;
    if (typeof node === 'string') {
      if (hasBadCharacter(node)) found.push({ path, message: BAD_CHARACTER_MESSAGE });
    } else if (Array.isArray(node)) {
      node.forEach((item, i) => visit(item, join(path, String(i))));
    } else if (node !== null && typeof node === 'object') {
      for (const [key, item] of Object.entries(node)) {
        if (hasBadCharacter(key)) found.push({ path: join(path, key), message: `its name ${BAD_CHARACTER_MESSAGE}` });
        visit(item, join(path, key));
      }
    }
  };
  visit(value, prefix);
  return found;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}
