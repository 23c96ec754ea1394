import { createHmac } from 'node:crypto';
import { timingSafeEqualHex, type SecretBox } from '@orqestra/crypto';
import type { ApiKeyPrincipal } from './api-key.resolver.js';

export type SignatureCheck = 'not_required' | 'valid' | 'missing' | 'invalid';

/**
 * X-Orqestra-Signature (SPEC §2.1): hex HMAC-SHA256 of the exact raw body with the tenant's
 * webhook secret, compared in constant time. During a rotation's grace both secrets verify.
 * Decrypted secrets are kept in memory, keyed by their ciphertext (a rotation changes it).
 */
export class SignatureVerifier {
  private readonly secrets = new Map<string, string>();

  constructor(private readonly box: SecretBox) {}

  check(principal: ApiKeyPrincipal, rawBody: Buffer, header: unknown, now: number): SignatureCheck {
    const candidates = principal.webhookSecrets.filter((s) => s.validUntil === null || s.validUntil > now);
    // A previous secret past its grace neither verifies nor makes signing required.
    if (candidates.length === 0) return 'not_required';
    if (typeof header !== 'string' || header.length === 0) return 'missing';
    const given = header.trim().toLowerCase();
    let valid = false;
    for (const candidate of candidates) {
      const expected = createHmac('sha256', this.secret(principal.tenantId, candidate)).update(rawBody).digest('hex');
      // No early exit: every candidate is compared, in constant time.
      valid = timingSafeEqualHex(given, expected) || valid;
    }
    return valid ? 'valid' : 'invalid';
  }

  private secret(tenantId: string, candidate: ApiKeyPrincipal['webhookSecrets'][number]): string {
    let secret = this.secrets.get(candidate.ciphertext);
    if (secret === undefined) {
      secret = this.box.decrypt(candidate.ciphertext, { purpose: candidate.purpose, tenantId, rowId: tenantId });
      if (this.secrets.size > 10_000) this.secrets.clear();
      this.secrets.set(candidate.ciphertext, secret);
    }
    return secret;
  }
}
