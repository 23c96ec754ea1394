import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';

/** The first implementation, kept here as the reference: stored idempotency records hash its output. */
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => reference(item === undefined ? null : item)).join(',')}]`;
  const entries = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${reference((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}

describe('canonical JSON of a trigger body (the idempotency body hash)', () => {
  it('sorts keys at every level and drops whitespace, so key order and spacing do not change the hash', () => {
    const a = JSON.parse(
      '{"payload": {"userId": "u-1", "recipientEmail": "a@example.com"}, "eventType": "order.confirmed", "variables": {"b": [1, {"y": 2, "x": 1}], "a": null}}',
    ) as unknown;
    const b = JSON.parse(
      '{"eventType":"order.confirmed","variables":{"a":null,"b":[1,{"x":1,"y":2}]},"payload":{"recipientEmail":"a@example.com","userId":"u-1"}}',
    ) as unknown;
    expect(canonicalJson(a)).toBe(
      '{"eventType":"order.confirmed","payload":{"recipientEmail":"a@example.com","userId":"u-1"},"variables":{"a":null,"b":[1,{"x":1,"y":2}]}}',
    );
    expect(canonicalJson(b)).toBe(canonicalJson(a));
    // Pinned: a hash stored by an earlier version still matches the same body.
    expect(createHash('sha256').update(canonicalJson(a)).digest('hex')).toBe(createHash('sha256').update(reference(a)).digest('hex'));
  });

  it('gives exactly the output of the first implementation on awkward values', () => {
    const values: unknown[] = [
      null,
      0,
      -1.5e-7,
      1e21,
      'ünï "quoted" \\ \n \u2028 😀',
      true,
      [],
      {},
      [undefined, null, [[]], { z: undefined, a: [undefined] }],
      { '': 1, é: 2, e: 3, E: 4, '10': 5, '9': 6, '\ud83d\ude00': 7, ' ': { nested: { deeper: ['x', { k: 'v' }] } } },
      { payload: { userId: 'u', extra: { list: [1, 2, 3], flag: false } }, variables: { orderNo: 1042, items: [{ name: 'Pen', qty: 2 }] } },
    ];
    for (const value of values) expect(canonicalJson(value)).toBe(reference(value));
  });

  it('gives the output of the first implementation on random JSON values (every shape the fast path copies or refuses)', () => {
    let seed = 20261204;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const KEYS = [
      'a',
      'b',
      'B',
      'userId',
      'eventType',
      'z',
      '',
      ' ',
      'é',
      '\ud83d\ude00',
      '0',
      '1',
      '2',
      '9',
      '10',
      '01',
      '4294967295',
      '__proto__',
      'toJSON',
      'constructor',
    ];
    const leaf = () => pick<unknown>([null, true, false, 0, -0, 1.5, 1e21, -3, 'x', '', 'ü "q" \\', undefined]);
    const build = (depth: number): unknown => {
      const kind = depth > 3 ? 0 : Math.floor(random() * 3);
      if (kind === 0) return leaf();
      if (kind === 1) return Array.from({ length: Math.floor(random() * 4) }, () => build(depth + 1));
      const object: Record<string, unknown> = {};
      for (let i = Math.floor(random() * 6); i > 0; i--)
        Object.defineProperty(object, pick(KEYS), { value: build(depth + 1), enumerable: true, writable: true, configurable: true });
      return object;
    };
    for (let i = 0; i < 3_000; i++) {
      const value = build(0);
      expect(canonicalJson(value)).toBe(reference(value));
      // The same value as JSON.parse would give it (what the trigger route hashes).
      const text = JSON.stringify(value);
      if (text !== undefined) expect(canonicalJson(JSON.parse(text))).toBe(reference(JSON.parse(text)));
    }
  });
});
