import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Keyring, KeyringError, generateKey, parseKeyring, type KeyringProblem } from './index.js';

const K1 = generateKey();
const K2 = generateKey();

function problem(run: () => unknown): KeyringError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(KeyringError);
    return error as KeyringError;
  }
  throw new Error('expected a KeyringError, nothing was thrown');
}

describe('parseKeyring', () => {
  it('reads several keys, the last listed active by default', () => {
    const ring = parseKeyring(`k1:${K1},k2:${K2}`);
    expect(ring.keyIds).toEqual(['k1', 'k2']);
    expect(ring.activeKeyId).toBe('k2');
  });

  it('honours an explicit active key; an empty active value means the default', () => {
    expect(parseKeyring(`k1:${K1},k2:${K2}`, 'k1').activeKeyId).toBe('k1');
    expect(parseKeyring(`k1:${K1},k2:${K2}`, '').activeKeyId).toBe('k2');
  });

  it('tolerates whitespace, line breaks and a trailing comma as written in an env file', () => {
    const ring = parseKeyring(` k1:${K1} ,\n  k2 : ${K2},\n`);
    expect(ring.keyIds).toEqual(['k1', 'k2']);
  });

  it('accepts base64 and base64url keys, with or without padding', () => {
    const raw = randomBytes(32);
    raw[0] = 0xfb; // makes base64 and base64url spellings differ
    const spellings = [raw.toString('base64'), raw.toString('base64').replace(/=+$/, ''), raw.toString('base64url')];
    for (const spelling of spellings) expect(parseKeyring(`k:${spelling}`).keyIds).toEqual(['k']);
  });

  it('generateKey gives base64 of 32 random bytes, different each time', () => {
    const key = generateKey();
    expect(Buffer.from(key, 'base64')).toHaveLength(32);
    expect(key).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(generateKey()).not.toBe(key);
  });
});

describe('parseKeyring refuses an unusable ring, without echoing key material', () => {
  const short = randomBytes(16).toString('base64');
  const long = randomBytes(33).toString('base64');
  const cases: [string, string, string | undefined, KeyringProblem, RegExp][] = [
    ['nothing configured', '  ', undefined, 'EMPTY', /no keys/],
    ['a key that is too short', `k1:${K1},k2:${short}`, undefined, 'KEY_LENGTH', /entry 2 \(id "k2"\).*32 bytes, got 16/],
    ['a key that is too long', `k1:${long}`, undefined, 'KEY_LENGTH', /32 bytes, got 33/],
    ['a key that is not base64', 'k1:not*base64!', undefined, 'KEY_NOT_BASE64', /entry 1 \(id "k1"\)/],
    ['a duplicate id', `k1:${K1},k1:${K2}`, undefined, 'DUPLICATE_ID', /entry 2 \(id "k1"\).*more than once/],
    ['the same key under two ids', `k1:${K1},k2:${K1}`, undefined, 'DUPLICATE_KEY', /same key as id "k1"/],
    ['an all-zero placeholder key', `k1:${Buffer.alloc(32).toString('base64')}`, undefined, 'KEY_WEAK', /single byte/],
    ['an active id that is not listed', `k1:${K1},k2:${K2}`, 'k3', 'ACTIVE_KEY_UNKNOWN', /"k3" is not among/],
    ['an entry without an id', K1, undefined, 'ENTRY_MALFORMED', /entry 1 is not of the form/],
    ['an id with a dot', `k.1:${K1}`, undefined, 'KEY_ID_INVALID', /entry 1: the key id must match/],
    ['an id longer than 32 characters', `${'k'.repeat(33)}:${K1}`, undefined, 'KEY_ID_INVALID', /entry 1/],
  ];

  it.each(cases)('%s', (_label, spec, active, expected, message) => {
    const error = problem(() => parseKeyring(spec, active));
    expect(error.problem).toBe(expected);
    expect(error.message).toMatch(message);
    for (const material of [K1, K2, short, long, K1.slice(0, 12), K2.slice(0, 12)]) {
      expect(error.message).not.toContain(material);
    }
  });

  it('does not echo an invalid id, which may be a key pasted in the wrong place', () => {
    const key = randomBytes(24).toString('base64url'); // 32 characters, looks like an id
    const error = problem(() => parseKeyring(`k1:${K1},${key}x:${K2}`));
    expect(error.problem).toBe('KEY_ID_INVALID');
    expect(error.message).not.toContain(key);
    const active = problem(() => parseKeyring(`k1:${K1}`, K2));
    expect(active.problem).toBe('ACTIVE_KEY_UNKNOWN');
    expect(active.message).not.toContain(K2);
  });
});

describe('Keyring', () => {
  it('shows only ids when logged, inspected or serialised', () => {
    const ring = parseKeyring(`k1:${K1},k2:${K2}`);
    const shown = [inspect(ring, { showHidden: true, depth: 5 }), JSON.stringify(ring), String(ring), `${ring}`];
    for (const text of shown) {
      expect(text).toContain('k2');
      expect(text).not.toContain(K1);
      expect(text).not.toContain(K2);
      expect(text).not.toContain(Buffer.from(K1, 'base64').toString('hex'));
    }
    expect(JSON.parse(JSON.stringify(ring))).toEqual({ activeKeyId: 'k2', keyIds: ['k1', 'k2'] });
  });

  it('can be built from raw bytes, with the same validation', () => {
    const ring = new Keyring([{ id: 'raw', key: randomBytes(32) }]);
    expect(ring.activeKeyId).toBe('raw');
    expect(ring.has('raw')).toBe(true);
    expect(ring.has('other')).toBe(false);
    expect(problem(() => new Keyring([])).problem).toBe('EMPTY');
    expect(problem(() => new Keyring([{ id: 'raw', key: new Uint8Array(31) }])).problem).toBe('KEY_LENGTH');
  });
});
