/**
 * Why a ciphertext could not be opened.
 * - `MALFORMED`: not an envelope this package writes (wrong shape, version or encoding).
 * - `UNKNOWN_KEY`: the envelope names a key id that is not in the key ring.
 * - `AUTHENTICATION_FAILED`: the key or the context does not match, or a byte was altered.
 */
export type DecryptionFailure = 'MALFORMED' | 'UNKNOWN_KEY' | 'AUTHENTICATION_FAILED';

const explanations: Record<DecryptionFailure, string> = {
  MALFORMED: 'the value is not a well-formed secret envelope',
  UNKNOWN_KEY: 'the envelope was sealed with a key that is not in the key ring',
  AUTHENTICATION_FAILED:
    'authentication failed (wrong key material, an altered envelope, or one that belongs to another column, row or tenant)',
};

/**
 * The only error `SecretBox.decrypt` raises for a bad envelope. Its message names the reason and,
 * for `UNKNOWN_KEY`, the key id (an identifier, not a secret); never plaintext, ciphertext bytes
 * or key material.
 */
export class DecryptionError extends Error {
  readonly code = 'SECRET_DECRYPTION_FAILED';
  override readonly name = 'DecryptionError';

  constructor(
    readonly reason: DecryptionFailure,
    readonly keyId?: string,
  ) {
    super(
      reason === 'UNKNOWN_KEY' && keyId !== undefined
        ? `secret could not be decrypted: key id "${keyId}" is not in the key ring`
        : `secret could not be decrypted: ${explanations[reason]}`,
    );
  }
}

/** What is wrong with a key-ring specification. */
export type KeyringProblem =
  | 'EMPTY'
  | 'ENTRY_MALFORMED'
  | 'KEY_ID_INVALID'
  | 'KEY_NOT_BASE64'
  | 'KEY_LENGTH'
  | 'KEY_WEAK'
  | 'DUPLICATE_ID'
  | 'DUPLICATE_KEY'
  | 'ACTIVE_KEY_UNKNOWN';

/**
 * Raised at start-up for an unusable key ring. Messages point at the entry (by position and, when
 * the id itself is valid, by id) and never repeat key material or an invalid id (which may be a
 * key pasted without its id).
 */
export class KeyringError extends Error {
  readonly code = 'KEYRING_INVALID';
  override readonly name = 'KeyringError';

  constructor(
    readonly problem: KeyringProblem,
    message: string,
  ) {
    super(`key ring: ${message}`);
  }
}
