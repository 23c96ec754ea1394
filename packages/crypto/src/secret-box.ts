import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { IV_BYTES, TAG_BYTES, additionalData, assertContext, formatEnvelope, parseEnvelope, type SecretContext } from './envelope.js';
import { DecryptionError } from './errors.js';
import type { Keyring } from './keyring.js';

const ALGORITHM = 'aes-256-gcm';

/**
 * Seals and opens secrets stored at rest. Built once per process from the key ring in config and
 * shared (it holds no per-call state).
 */
export class SecretBox {
  constructor(private readonly keyring: Keyring) {}

  /** The key id new envelopes are sealed with. */
  get activeKeyId(): string {
    return this.keyring.activeKeyId;
  }

  /**
   * Seals a UTF-8 string with the active key and a fresh random IV, bound to `context`.
   * @throws TypeError when the plaintext is not a well-formed string (a lone surrogate would not
   *   survive the UTF-8 round trip) or a context field is empty.
   */
  encrypt(plaintext: string, context: SecretContext): string {
    if (typeof plaintext !== 'string') throw new TypeError('secret plaintext must be a string');
    const bytes = Buffer.from(plaintext, 'utf8');
    if (bytes.toString('utf8') !== plaintext) throw new TypeError('secret plaintext is not well-formed Unicode');
    assertContext(context);
    const keyId = this.keyring.activeKeyId;
    const key = this.keyring.key(keyId);
    if (key === undefined) throw new Error('key ring has no active key'); // unreachable: Keyring checks it
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(additionalData(keyId, context));
    const ciphertext = Buffer.concat([cipher.update(bytes), cipher.final()]);
    bytes.fill(0);
    return formatEnvelope({ keyId, iv, ciphertext, tag: cipher.getAuthTag() });
  }

  /**
   * Opens an envelope with the key it names. The context must be the one it was sealed with.
   * @throws DecryptionError `MALFORMED`, `UNKNOWN_KEY` or `AUTHENTICATION_FAILED`.
   * @throws TypeError when a context field is empty.
   */
  decrypt(ciphertext: string, context: SecretContext): string {
    assertContext(context);
    const envelope = parseEnvelope(ciphertext);
    const key = this.keyring.key(envelope.keyId);
    if (key === undefined) throw new DecryptionError('UNKNOWN_KEY', envelope.keyId);
    const decipher = createDecipheriv(ALGORITHM, key, envelope.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(additionalData(envelope.keyId, context));
    decipher.setAuthTag(envelope.tag);
    let plaintext: Buffer;
    try {
      plaintext = Buffer.concat([decipher.update(envelope.ciphertext), decipher.final()]);
    } catch {
      // Node's own error carries nothing useful and is deliberately not attached as a cause.
      throw new DecryptionError('AUTHENTICATION_FAILED');
    }
    const text = plaintext.toString('utf8');
    plaintext.fill(0);
    return text;
  }

  /**
   * The key id an envelope names, without opening it.
   * @throws DecryptionError `MALFORMED`
   */
  keyIdOf(ciphertext: string): string {
    return parseEnvelope(ciphertext).keyId;
  }

  /**
   * True when the envelope was sealed with a key other than the active one (including a key the
   * ring no longer holds, which `reencrypt` will then refuse with `UNKNOWN_KEY`).
   * @throws DecryptionError `MALFORMED`
   */
  needsReencryption(ciphertext: string): boolean {
    return this.keyIdOf(ciphertext) !== this.keyring.activeKeyId;
  }

  /**
   * Opens an envelope with the key it names and seals the plaintext again with the active key
   * (fresh IV, same context). Always produces a new envelope, even when the key is already active.
   * @throws DecryptionError as `decrypt`.
   */
  reencrypt(ciphertext: string, context: SecretContext): string {
    return this.encrypt(this.decrypt(ciphertext, context), context);
  }
}
