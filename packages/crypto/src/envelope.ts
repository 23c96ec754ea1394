import { DecryptionError } from './errors.js';
import { KEY_ID_PATTERN } from './keyring.js';

/**
 * Envelope layout (one line of ASCII, safe in a text column):
 *
 *   v1.<keyId>.<iv>.<ciphertext>.<tag>
 *
 * `v1` is the format version; `keyId` matches `[A-Za-z0-9_-]{1,32}` (so it never contains a dot);
 * `iv` (12 bytes), `ciphertext` (as long as the UTF-8 plaintext, empty for an empty secret) and
 * `tag` (16 bytes) are unpadded base64url. AES-256-GCM.
 */
export const ENVELOPE_VERSION = 'v1';
export const IV_BYTES = 12;
export const TAG_BYTES = 16;

export interface Envelope {
  readonly keyId: string;
  readonly iv: Buffer;
  readonly ciphertext: Buffer;
  readonly tag: Buffer;
}

/** Where a sealed secret belongs. All three are bound to the ciphertext as authenticated data. */
export interface SecretContext {
  /** Which column the secret lives in, e.g. `provider_credentials`. */
  readonly purpose: string;
  readonly tenantId: string;
  /** The primary key of the row holding the secret (the tenant id for columns of `tenants`). */
  readonly rowId: string;
}

/** The purposes the product uses, one per encrypted column. */
export const SecretPurpose = {
  /** provider_configs.credentials_ciphertext; rowId = provider_configs.id */
  providerCredentials: 'provider_credentials',
  /** tenants.webhook_secret_ciphertext; rowId = tenants.id */
  webhookSecret: 'webhook_secret',
  /** tenants.webhook_secret_previous_ciphertext; rowId = tenants.id */
  webhookSecretPrevious: 'webhook_secret_previous',
} as const;

export function formatEnvelope(envelope: Envelope): string {
  return [
    ENVELOPE_VERSION,
    envelope.keyId,
    envelope.iv.toString('base64url'),
    envelope.ciphertext.toString('base64url'),
    envelope.tag.toString('base64url'),
  ].join('.');
}

/**
 * Splits an envelope into its parts. Strict: every part must be canonical unpadded base64url, so
 * no two strings decode to the same envelope.
 * @throws DecryptionError `MALFORMED`
 */
export function parseEnvelope(value: string): Envelope {
  if (typeof value !== 'string') throw new DecryptionError('MALFORMED');
  const parts = value.split('.');
  if (parts.length !== 5) throw new DecryptionError('MALFORMED');
  const [version, keyId, iv, ciphertext, tag] = parts as [string, string, string, string, string];
  if (version !== ENVELOPE_VERSION || !KEY_ID_PATTERN.test(keyId)) throw new DecryptionError('MALFORMED');
  const envelope = { keyId, iv: decodePart(iv), ciphertext: decodePart(ciphertext), tag: decodePart(tag) };
  if (envelope.iv.length !== IV_BYTES || envelope.tag.length !== TAG_BYTES) throw new DecryptionError('MALFORMED');
  return envelope;
}

function decodePart(part: string): Buffer {
  const bytes = Buffer.from(part, 'base64url');
  // Node's decoder skips characters it does not know and ignores stray bits; re-encoding catches both.
  if (bytes.toString('base64url') !== part) throw new DecryptionError('MALFORMED');
  return bytes;
}

/**
 * The additional authenticated data: a JSON array of strings, which is unambiguous (`["a:b","c"]`
 * and `["a","b:c"]` differ) and also covers the format version and key id.
 */
export function additionalData(keyId: string, context: SecretContext): Buffer {
  return Buffer.from(
    JSON.stringify(['orqestra.secret', ENVELOPE_VERSION, keyId, context.purpose, context.tenantId, context.rowId]),
    'utf8',
  );
}

/** Programming errors (not decryption failures): a context field missing or empty. */
export function assertContext(context: SecretContext): void {
  for (const field of ['purpose', 'tenantId', 'rowId'] as const) {
    const value: unknown = context?.[field];
    if (typeof value !== 'string' || value === '') {
      throw new TypeError(`secret context: ${field} must be a non-empty string`);
    }
  }
}
