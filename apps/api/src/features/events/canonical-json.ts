/**
 * Canonical JSON: object keys sorted at every level, no insignificant whitespace. Two bodies that
 * differ only in key order or spacing are "the same body" for idempotency (SPEC §2.1).
 *
 * The output is part of stored state (the body hash of every idempotency record), so it must not
 * change: canonical-json.spec.ts pins it. Written as one pass of string appends (no intermediate
 * arrays per object), since it runs on every keyed trigger request.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      const item: unknown = value[i];
      out += item === undefined ? 'null' : canonicalJson(item);
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
    out += `${JSON.stringify(key)}:${canonicalJson(item)}`;
  }
  return `${out}}`;
}
