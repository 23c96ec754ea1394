import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DecryptionError, SecretBox, SecretPurpose, generateKey, parseKeyring, type SecretContext } from './index.js';

const TENANT_A = '7d3f2a10-2b4c-4d5e-8f60-718293a4b5c6';
const TENANT_B = '0e1d2c3b-4a59-4867-9756-a4b3c2d1e0f9';
const ROW_1 = 'c0ffee00-1111-4222-8333-444455556666';
const ROW_2 = 'deadbeef-7777-4888-9999-aaaabbbbcccc';
const CREDENTIALS: SecretContext = { purpose: SecretPurpose.providerCredentials, tenantId: TENANT_A, rowId: ROW_1 };
const SECRET = '{"apiKey":"re_live_4f9a8b7c6d5e"}';

function boxWith(spec: string, active?: string): SecretBox {
  return new SecretBox(parseKeyring(spec, active));
}

function failure(run: () => unknown): DecryptionError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DecryptionError);
    return error as DecryptionError;
  }
  throw new Error('expected a DecryptionError, nothing was thrown');
}

/** Flips one bit in the decoded bytes of an envelope part (2 iv, 3 ciphertext, 4 tag). */
function tamper(envelope: string, part: 2 | 3 | 4): string {
  const parts = envelope.split('.');
  const bytes = Buffer.from(parts[part] ?? '', 'base64url');
  bytes[0] = (bytes[0] ?? 0) ^ 0x01;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}

const K1 = generateKey();
const K2 = generateKey();
const box = boxWith(`k1:${K1}`);

describe('SecretBox round trip', () => {
  it.each([
    ['JSON credentials', SECRET],
    ['non-ASCII text', 'pässwörd — 秘密 🔑'],
    ['the empty string', ''],
    ['a long value', 'x'.repeat(10_000)],
  ])('gives back %s exactly', (_label, plaintext) => {
    expect(box.decrypt(box.encrypt(plaintext, CREDENTIALS), CREDENTIALS)).toBe(plaintext);
  });

  it('writes the documented envelope: v1.<keyId>.<iv>.<ciphertext>.<tag>, no plaintext visible', () => {
    const sealed = box.encrypt(SECRET, CREDENTIALS);
    const [version, keyId, iv, body, tag, ...rest] = sealed.split('.');
    expect([version, keyId, rest]).toEqual(['v1', 'k1', []]);
    expect(Buffer.from(iv ?? '', 'base64url')).toHaveLength(12);
    expect(Buffer.from(body ?? '', 'base64url')).toHaveLength(Buffer.byteLength(SECRET));
    expect(Buffer.from(tag ?? '', 'base64url')).toHaveLength(16);
    expect(sealed).toMatch(/^[A-Za-z0-9_.-]+$/);
    expect(sealed).not.toContain('re_live');
  });

  it('uses a fresh IV: sealing the same secret twice gives different envelopes that both open', () => {
    const first = box.encrypt(SECRET, CREDENTIALS);
    const second = box.encrypt(SECRET, CREDENTIALS);
    expect(first).not.toBe(second);
    expect(first.split('.')[2]).not.toBe(second.split('.')[2]);
    expect(box.decrypt(second, CREDENTIALS)).toBe(SECRET);
  });

  it('refuses a plaintext with a lone surrogate rather than storing a different secret', () => {
    expect(() => box.encrypt('abc\uD800', CREDENTIALS)).toThrow(TypeError);
  });

  it('refuses an empty context field on both sides', () => {
    expect(() => box.encrypt(SECRET, { ...CREDENTIALS, rowId: '' })).toThrow(/rowId/);
    const sealed = box.encrypt(SECRET, CREDENTIALS);
    expect(() => box.decrypt(sealed, { ...CREDENTIALS, tenantId: '' })).toThrow(/tenantId/);
  });
});

describe('SecretBox tampering', () => {
  const sealed = box.encrypt(SECRET, CREDENTIALS);

  it.each([
    ['IV', 2],
    ['ciphertext', 3],
    ['tag', 4],
  ] as const)('an altered %s fails authentication', (_label, part) => {
    expect(failure(() => box.decrypt(tamper(sealed, part), CREDENTIALS)).reason).toBe('AUTHENTICATION_FAILED');
  });

  it('an envelope relabelled with another key id of the ring fails authentication', () => {
    const both = boxWith(`k1:${K1},k2:${K2}`, 'k1');
    const relabelled = both.encrypt(SECRET, CREDENTIALS).replace(/^v1\.k1\./, 'v1.k2.');
    expect(failure(() => both.decrypt(relabelled, CREDENTIALS)).reason).toBe('AUTHENTICATION_FAILED');
  });

  it.each([
    ['another format version', sealed.replace(/^v1\./, 'v2.')],
    ['a missing part', sealed.split('.').slice(0, 4).join('.')],
    ['an extra part', `${sealed}.AAAA`],
    ['a truncated tag', sealed.slice(0, -2)],
    ['padding on a part', `${sealed}=`],
    [
      'characters outside base64url',
      sealed
        .split('.')
        .map((p, i) => (i === 2 ? `+${p.slice(1)}` : p))
        .join('.'),
    ],
    ['an invalid key id', sealed.replace(/^v1\.k1\./, 'v1.k!.')],
    ['a value that is not an envelope', 'k1:secret'],
    ['the empty string', ''],
  ])('%s is reported as MALFORMED', (_label, value) => {
    expect(failure(() => box.decrypt(value, CREDENTIALS)).reason).toBe('MALFORMED');
  });
});

describe('SecretBox binding to column, row and tenant', () => {
  const sealed = box.encrypt(SECRET, CREDENTIALS);

  it.each([
    ['another column (purpose)', { ...CREDENTIALS, purpose: SecretPurpose.webhookSecret }],
    ['another row', { ...CREDENTIALS, rowId: ROW_2 }],
    ['another tenant', { ...CREDENTIALS, tenantId: TENANT_B }],
  ])('a ciphertext copied to %s does not decrypt', (_label, context) => {
    expect(failure(() => box.decrypt(sealed, context)).reason).toBe('AUTHENTICATION_FAILED');
  });

  it('moving the current webhook secret to the "previous" column needs a re-seal, not a copy', () => {
    const current = { purpose: SecretPurpose.webhookSecret, tenantId: TENANT_A, rowId: TENANT_A };
    const previous = { ...current, purpose: SecretPurpose.webhookSecretPrevious };
    const sealedCurrent = box.encrypt('whsec_1', current);
    expect(failure(() => box.decrypt(sealedCurrent, previous)).reason).toBe('AUTHENTICATION_FAILED');
    expect(box.decrypt(box.encrypt(box.decrypt(sealedCurrent, current), previous), previous)).toBe('whsec_1');
  });

  it.each([
    ['("a:b","c") and ("a","b:c")', ['a:b', 'c'], ['a', 'b:c']],
    ['quotes that would fake a separator', ['a","b', 'c'], ['a', 'b","c']],
  ])('encodes the context unambiguously: %s are different places', (_label, [tenantId, rowId], [otherTenant, otherRow]) => {
    const sealed = box.encrypt(SECRET, { purpose: 'p', tenantId: tenantId ?? '', rowId: rowId ?? '' });
    const elsewhere = { purpose: 'p', tenantId: otherTenant ?? '', rowId: otherRow ?? '' };
    expect(failure(() => box.decrypt(sealed, elsewhere)).reason).toBe('AUTHENTICATION_FAILED');
  });
});

describe('SecretBox keys', () => {
  it('the same key id with other key material fails authentication', () => {
    const sealed = box.encrypt(SECRET, CREDENTIALS);
    const impostor = boxWith(`k1:${generateKey()}`);
    expect(failure(() => impostor.decrypt(sealed, CREDENTIALS)).reason).toBe('AUTHENTICATION_FAILED');
  });

  it('an envelope naming a key the ring does not hold is UNKNOWN_KEY, with the id in the message', () => {
    const sealed = boxWith(`old:${generateKey()}`).encrypt(SECRET, CREDENTIALS);
    const error = failure(() => box.decrypt(sealed, CREDENTIALS));
    expect(error.reason).toBe('UNKNOWN_KEY');
    expect(error.keyId).toBe('old');
    expect(error.message).toContain('"old"');
  });

  it('error messages never contain the plaintext, the envelope or its parts', () => {
    const sealed = box.encrypt(SECRET, CREDENTIALS);
    const errors = [
      failure(() => box.decrypt(tamper(sealed, 4), CREDENTIALS)),
      failure(() => boxWith(`k9:${K2}`).decrypt(sealed, CREDENTIALS)),
      failure(() => box.decrypt(sealed.replace(/^v1/, 'v0'), CREDENTIALS)),
    ];
    for (const error of errors) {
      const shown = `${error.message} ${error.stack ?? ''} ${JSON.stringify(error)}`;
      for (const fragment of [
        SECRET,
        're_live',
        K1,
        ...sealed
          .split('.')
          .slice(2)
          .filter((p) => p.length >= 8),
      ]) {
        expect(shown).not.toContain(fragment);
      }
    }
  });
});

describe('SecretBox rotation', () => {
  const oldBox = boxWith(`k1:${K1}`);
  const rotated = boxWith(`k1:${K1},k2:${K2}`);
  const oldSealed = oldBox.encrypt(SECRET, CREDENTIALS);

  it('makes the last listed key active by default and seals new secrets with it', () => {
    expect(rotated.activeKeyId).toBe('k2');
    expect(rotated.keyIdOf(rotated.encrypt(SECRET, CREDENTIALS))).toBe('k2');
  });

  it('still opens envelopes sealed with the old key after a new active key is added', () => {
    expect(rotated.decrypt(oldSealed, CREDENTIALS)).toBe(SECRET);
  });

  it('reports which envelopes need re-encryption', () => {
    expect(rotated.needsReencryption(oldSealed)).toBe(true);
    expect(rotated.needsReencryption(rotated.encrypt(SECRET, CREDENTIALS))).toBe(false);
    expect(boxWith(`k1:${K1},k2:${K2}`, 'k1').needsReencryption(oldSealed)).toBe(false);
    expect(failure(() => rotated.needsReencryption('garbage')).reason).toBe('MALFORMED');
  });

  it('re-encrypts onto the active key; the result opens once the old key is removed', () => {
    const moved = rotated.reencrypt(oldSealed, CREDENTIALS);
    expect(rotated.keyIdOf(moved)).toBe('k2');
    expect(rotated.needsReencryption(moved)).toBe(false);
    const afterRemoval = boxWith(`k2:${K2}`);
    expect(afterRemoval.decrypt(moved, CREDENTIALS)).toBe(SECRET);
    expect(failure(() => afterRemoval.decrypt(oldSealed, CREDENTIALS)).reason).toBe('UNKNOWN_KEY');
  });

  it('re-encryption keeps the binding: the wrong context is refused, not re-sealed', () => {
    const wrong = { ...CREDENTIALS, rowId: ROW_2 };
    expect(failure(() => rotated.reencrypt(oldSealed, wrong)).reason).toBe('AUTHENTICATION_FAILED');
  });

  it('accepts keys given in base64url as well as base64', () => {
    const raw = randomBytes(32);
    const sealed = boxWith(`k1:${raw.toString('base64')}`).encrypt(SECRET, CREDENTIALS);
    expect(boxWith(`k1:${raw.toString('base64url')}`).decrypt(sealed, CREDENTIALS)).toBe(SECRET);
  });
});
