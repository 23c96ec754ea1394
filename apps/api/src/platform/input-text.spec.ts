import { describe, expect, it } from 'vitest';
import { badTextDetails, hasBadCharacter, jsonDepthExceeds, MAX_JSON_DEPTH } from './input-text.js';

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
