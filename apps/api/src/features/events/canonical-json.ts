/**
 * Canonical JSON: object keys sorted at every level, no insignificant whitespace. Two bodies that
 * differ only in key order or spacing are "the same body" for idempotency (SPEC §2.1).
 *
 * The output is part of stored state (the body hash of every idempotency record), so it must not
 * change: canonical-json.spec.ts pins it against the first implementation. It runs on every keyed
 * trigger request, so the usual case (plain JSON data) is one native JSON.stringify of a view of
 * the value whose objects enumerate their keys in sorted order: objects already in order are
 * used as they are, the others copied with their keys inserted in order. What such a view cannot
 * reproduce exactly (an out-of-order object with an array-index key, which JS always enumerates
 * first and numerically; a `__proto__` key; functions, symbols, bigints; class instances such as
 * Date) takes the general path, one pass of string appends.
 */
export function canonicalJson(value: unknown): string {
  const view = sortedView(value);
  return view === GENERAL ? generalCanonicalJson(value) : (JSON.stringify(view) ?? 'null');
}

/** Marks a value that sortedView cannot represent. */
const GENERAL = Symbol('general');
const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;

/** The value with every object's keys enumerating in sorted order (copies only where needed), or GENERAL. */
function sortedView(value: unknown): unknown {
  if (value === null) return value;
  const type = typeof value;
  if (type !== 'object') return type === 'function' || type === 'symbol' || type === 'bigint' ? GENERAL : value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const view = sortedView(item);
      if (view === GENERAL) return GENERAL;
      if (view !== item) (copy ??= value.slice())[i] = view;
    }
    return copy ?? value;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return GENERAL;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let inOrder = true;
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1]! > keys[i]!) {
      inOrder = false;
      break;
    }
  }
  if (!inOrder) keys.sort();
  let copy: Record<string, unknown> | undefined = inOrder ? undefined : {};
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const item = record[key];
    const view = sortedView(item);
    if (view === GENERAL) return GENERAL;
    if (copy === undefined && view !== item) {
      // In order so far, but a child changed: copy the keys before it (same order).
      copy = {};
      for (let j = 0; j < i; j++) {
        if (keys[j] === '__proto__') return GENERAL;
        copy[keys[j]!] = record[keys[j]!];
      }
    }
    if (copy !== undefined) {
      if (key === '__proto__' || (!inOrder && ARRAY_INDEX.test(key))) return GENERAL;
      copy[key] = view;
    }
  }
  return copy ?? value;
}

/** The general path: any value, one pass of string appends. */
function generalCanonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      const item: unknown = value[i];
      out += item === undefined ? 'null' : generalCanonicalJson(item);
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += `${JSON.stringify(key)}:${generalCanonicalJson(item)}`;
  }
  return `${out}}`;
}
