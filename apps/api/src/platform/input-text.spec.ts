import { describe, expect, it } from 'vitest';
import { badTextDetails, hasBadCharacter, jsonDepthExceeds, MAX_JSON_DEPTH, mayHoldBadCharacter } from './input-text.js';

describe('hasBadCharacter', () => {
  it('refuses NUL and unpaired surrogates, accepts paired ones and ordinary text', () => {
    expect(hasBadCharacter('a\u0000b')).toBe(true);
    expect(hasBadCharacter('\ud800')).toBe(true);
    expect(hasBadCharacter('x\udc00')).toBe(true);
    expect(hasBadCharacter('\udc00\ud800')).toBe(true);
    expect(hasBadCharacter('emoji 😀 ok')).toBe(false);
    expect(hasBadCharacter('Zoë, 東京, \u0001')).toBe(false);
  });
});

describe('jsonDepthExceeds', () => {
  const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
  it('counts nesting of arrays and objects up to the limit', () => {
    expect(jsonDepthExceeds(nested(MAX_JSON_DEPTH))).toBe(false);
    expect(jsonDepthExceeds(nested(MAX_JSON_DEPTH + 1))).toBe(true);
    expect(jsonDepthExceeds(`${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`)).toBe(true);
  });
  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonDepthExceeds(JSON.stringify({ a: '['.repeat(500), b: '"[[[[\\"' }))).toBe(false);
  });
  it('many shallow arrays and objects side by side are not deep', () => {
    const wide = JSON.stringify(Array.from({ length: 3 * MAX_JSON_DEPTH }, (_, i) => ({ i, list: [i] })));
    expect(jsonDepthExceeds(wide)).toBe(false);
    expect(jsonDepthExceeds(`[${wide},${nested(MAX_JSON_DEPTH)}]`)).toBe(true);
  });
});

describe('mayHoldBadCharacter', () => {
  it('is false only for JSON text whose parse cannot hold NUL or a lone surrogate (no \\u escape at all)', () => {
    // Never a false "no" for a value the walk refuses (JSON.stringify writes them as \\u escapes).
    for (const value of [{ a: '\u0000' }, { ['\ud800']: 1 }, ['\udc00x']]) {
      const text = JSON.stringify(value);
      expect(badTextDetails(JSON.parse(text))).not.toEqual([]);
      expect(mayHoldBadCharacter(text)).toBe(true);
    }
    expect(mayHoldBadCharacter('{"a":"\\u0000"}')).toBe(true);
    expect(mayHoldBadCharacter('{"ok":"é 😀 \\n \\" tab"}')).toBe(false);
  });
});

describe('badTextDetails', () => {
  it('lists every bad string and key with its path', () => {
    expect(badTextDetails({ payload: { userId: 'u\u0000' }, variables: { list: ['ok', '\ud800'], 'k\u0000': 1 } })).toEqual([
      { path: 'payload.userId', message: expect.any(String) },
      { path: 'variables.list.1', message: expect.any(String) },
      { path: 'variables.k\u0000', message: expect.stringContaining('its name') },
    ]);
    expect(badTextDetails({ userId: ['a', 'b\u0000'] }, 'query')).toEqual([{ path: 'query.userId.1', message: expect.any(String) }]);
    expect(badTextDetails({ fine: ['😀', 1, null, { x: 'y' }] })).toEqual([]);
  });
});
