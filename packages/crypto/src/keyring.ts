import { createSecretKey, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import { inspect } from 'node:util';
import { KeyringError } from './errors.js';

/** Key ids appear in every envelope; they are identifiers, not secrets. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
export const KEY_BYTES = 32;

/** One master key: its id and its 32 bytes of material. */
export interface KeyringEntry {
  readonly id: string;
  readonly key: Uint8Array;
}

/**
 * The master keys a process knows, one of them active. `SecretBox` seals with the active key and
 * opens with whichever key an envelope names. The material is held as `KeyObject`s in a private
 * field: logging, inspecting or JSON-serialising a key ring shows only the ids.
 */
export class Keyring {
  readonly #keys = new Map<string, KeyObject>();
  readonly activeKeyId: string;

  /**
   * @param entries at least one; ids unique and matching `KEY_ID_PATTERN`, each key 32 bytes.
   * @param activeKeyId defaults to the last entry; an empty string counts as "not given".
   * @throws KeyringError
   */
  constructor(entries: readonly KeyringEntry[], activeKeyId?: string) {
    const last = entries.at(-1);
    if (last === undefined) throw new KeyringError('EMPTY', 'no keys were given');
    const seen: { id: string; key: Uint8Array }[] = [];
    entries.forEach((entry, index) => {
      const where = `entry ${index + 1}`;
      if (!KEY_ID_PATTERN.test(entry.id)) {
        throw new KeyringError('KEY_ID_INVALID', `${where}: the key id must match [A-Za-z0-9_-]{1,32}`);
      }
      const named = `${where} (id "${entry.id}")`;
      if (entry.key.length !== KEY_BYTES) {
        throw new KeyringError('KEY_LENGTH', `${named}: the key must be ${KEY_BYTES} bytes, got ${entry.key.length}`);
      }
      if (entry.key.every((byte) => byte === entry.key[0])) {
        throw new KeyringError('KEY_WEAK', `${named}: the key repeats a single byte; generate a random key`);
      }
      for (const other of seen) {
        if (other.id === entry.id) throw new KeyringError('DUPLICATE_ID', `${named}: the id is listed more than once`);
        if (timingSafeEqual(other.key, entry.key)) {
          throw new KeyringError('DUPLICATE_KEY', `${named}: holds the same key as id "${other.id}"`);
        }
      }
      seen.push({ id: entry.id, key: entry.key });
      this.#keys.set(entry.id, createSecretKey(Uint8Array.from(entry.key)));
    });
    const active = activeKeyId === undefined || activeKeyId.trim() === '' ? last.id : activeKeyId.trim();
    if (!this.#keys.has(active)) {
      const shown = KEY_ID_PATTERN.test(active) ? `"${active}"` : '(not a valid key id)';
      throw new KeyringError('ACTIVE_KEY_UNKNOWN', `the active key id ${shown} is not among the listed keys`);
    }
    this.activeKeyId = active;
  }

  /** All ids, in the order they were listed. */
  get keyIds(): readonly string[] {
    return [...this.#keys.keys()];
  }

  has(keyId: string): boolean {
    return this.#keys.has(keyId);
  }

  /** The key for an id, for `SecretBox`; `undefined` when the ring does not hold it. */
  key(keyId: string): KeyObject | undefined {
    return this.#keys.get(keyId);
  }

  toJSON(): { activeKeyId: string; keyIds: readonly string[] } {
    return { activeKeyId: this.activeKeyId, keyIds: this.keyIds };
  }

  [inspect.custom](): string {
    return `Keyring { active: ${JSON.stringify(this.activeKeyId)}, keys: ${JSON.stringify(this.keyIds)} }`;
  }

  toString(): string {
    return this[inspect.custom]();
  }
}

const BASE64_ANY = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * Builds a key ring from the raw value of an environment variable such as
 * `CREDENTIALS_KEYS="k1:<base64>,k2:<base64>"` and, optionally, `CREDENTIALS_ACTIVE_KEY`.
 * Entries are separated by commas (whitespace around them and empty entries are ignored); each is
 * `<id>:<key>` where the key is 32 bytes in base64 or base64url, padded or not.
 * @throws KeyringError naming the problem, never the key material.
 */
export function parseKeyring(spec: string, activeKeyId?: string): Keyring {
  const entries: { id: string; key: Buffer }[] = [];
  const parts = spec.split(',').map((part) => part.trim());
  let position = 0;
  for (const part of parts) {
    if (part === '') continue;
    position += 1;
    const colon = part.indexOf(':');
    if (colon < 0) {
      throw new KeyringError('ENTRY_MALFORMED', `entry ${position} is not of the form <id>:<base64 key>`);
    }
    const id = part.slice(0, colon).trim();
    const encoded = part.slice(colon + 1).trim();
    if (!KEY_ID_PATTERN.test(id)) {
      throw new KeyringError('KEY_ID_INVALID', `entry ${position}: the key id must match [A-Za-z0-9_-]{1,32}`);
    }
    if (!BASE64_ANY.test(encoded)) {
      throw new KeyringError('KEY_NOT_BASE64', `entry ${position} (id "${id}"): the key is not base64 or base64url`);
    }
    entries.push({ id, key: Buffer.from(encoded, 'base64') });
  }
  try {
    return new Keyring(entries, activeKeyId);
  } finally {
    // The ring keeps its own copies; do not leave decoded material lying around.
    for (const entry of entries) entry.key.fill(0);
  }
}

/** A fresh random key, base64 of 32 bytes, for `<id>:<key>` entries (docs and dev setup). */
export function generateKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}
