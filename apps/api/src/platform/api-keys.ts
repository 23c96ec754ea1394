import { createHash, randomBytes } from 'node:crypto';
import type { Mode } from '@orqestra/contracts';

/** Key prefixes (SPEC §7): live keys `oq_live_…`, sandbox keys `oq_test_…`. */
export const API_KEY_PREFIX: Record<Mode, string> = { live: 'oq_live_', sandbox: 'oq_test_' };

export interface NewApiKey {
  /** Shown once to whoever created it; never stored. */
  plaintext: string;
  /** SHA-256 of the plaintext, hex: the only thing the database keeps. */
  hash: string;
  /** Enough to recognise the key in a list (prefix + 4 characters). */
  displayPrefix: string;
}

export function hashApiKey(plaintext: string): string {
  return createHash('sha256').update(plaintext, 'utf8').digest('hex');
}

export function generateApiKey(mode: Mode): NewApiKey {
  const plaintext = `${API_KEY_PREFIX[mode]}${randomBytes(32).toString('base64url')}`;
  return { plaintext, hash: hashApiKey(plaintext), displayPrefix: plaintext.slice(0, API_KEY_PREFIX[mode].length + 4) };
}
