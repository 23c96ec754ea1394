import { randomBytes } from 'node:crypto';
import { SecretPurpose, type SecretBox } from '@orqestra/crypto';
import type { Database, OperatorTx, TenantTx } from '@orqestra/db';
import { AppError } from '../../platform/errors.js';
import type { Clock } from '../../platform/tokens.js';
import { appendAudit } from '../audit/audit.repository.js';
import type { AuthAnnouncements } from './auth-announcer.js';
import { type Actor, auditBy, inTenantScope, REDACTED } from '../../platform/auth/actor.js';
import { lockWebhookSecret, updateWebhookSecret, type WebhookSecretColumns, type WebhookSecretRow } from './webhook-secret.repository.js';

export interface WebhookSecretState {
  set: boolean;
  /** End of the previous secret's grace, while it still verifies. */
  previousValidUntil: string | null;
}

export interface ShownSecret extends WebhookSecretState {
  /** The secret now in force: shown in this answer only. */
  webhookSecret: string;
}

/**
 * The tenant's webhook (request-signing) secret (SPEC §2.1, §6, §7), for the operator and the
 * tenant's admin. Stored encrypted with the tenant as authenticated data — purpose
 * `webhook_secret` (or `webhook_secret_previous`), tenant id, row id = tenant id — exactly what
 * the signature verifier decrypts. Rotation keeps the old secret verifying for a grace period
 * (24 h by default). The API key cache carries the ciphertexts, so every change is announced.
 */
export class WebhookSecretService {
  constructor(
    private readonly database: Database,
    private readonly box: SecretBox,
    private readonly clock: Clock,
    private readonly announcer: AuthAnnouncements,
  ) {}

  /** Sets the secret (given, or generated) with immediate effect; a previous one in grace is dropped. */
  async set(actor: Actor, tenantId: string, given?: string): Promise<ShownSecret> {
    const secret = given ?? generateSecret();
    const state = await this.change(actor, tenantId, 'webhook_secret.set', () => ({
      webhook_secret_ciphertext: this.box.encrypt(secret, { purpose: SecretPurpose.webhookSecret, tenantId, rowId: tenantId }),
      webhook_secret_previous_ciphertext: null,
      webhook_secret_previous_expires_at: null,
    }));
    return { ...state, webhookSecret: secret };
  }

  /** A new secret (given, or generated); the current one keeps verifying for `graceHours`. */
  async rotate(actor: Actor, tenantId: string, options: { secret?: string; graceHours: number }): Promise<ShownSecret> {
    const secret = options.secret ?? generateSecret();
    const until = new Date(this.clock.now().getTime() + Math.round(options.graceHours * 3_600_000));
    const state = await this.change(actor, tenantId, 'webhook_secret.rotate', (current) => {
      if (current === null) throw new AppError('CONFLICT', { message: 'The tenant has no webhook secret to rotate: set one first' });
      const old = this.box.decrypt(current, { purpose: SecretPurpose.webhookSecret, tenantId, rowId: tenantId });
      if (old === secret)
        throw new AppError('VALIDATION_FAILED', { details: [{ path: 'secret', message: 'must differ from the current secret' }] });
      const keepOld = options.graceHours > 0;
      return {
        webhook_secret_ciphertext: this.box.encrypt(secret, { purpose: SecretPurpose.webhookSecret, tenantId, rowId: tenantId }),
        webhook_secret_previous_ciphertext: keepOld
          ? this.box.encrypt(old, { purpose: SecretPurpose.webhookSecretPrevious, tenantId, rowId: tenantId })
          : null,
        webhook_secret_previous_expires_at: keepOld ? until : null,
      };
    });
    return { ...state, webhookSecret: secret };
  }

  /** No secret at all: signatures are no longer required (nor checked). */
  async clear(actor: Actor, tenantId: string): Promise<WebhookSecretState> {
    return this.change(actor, tenantId, 'webhook_secret.clear', () => ({
      webhook_secret_ciphertext: null,
      webhook_secret_previous_ciphertext: null,
      webhook_secret_previous_expires_at: null,
    }));
  }

  async state(actor: Actor, tenantId: string): Promise<WebhookSecretState> {
    return inTenantScope(this.database, actor, tenantId, async (tx) => stateOf(await load(tx, tenantId), this.clock.now()));
  }

  private async change(
    actor: Actor,
    tenantId: string,
    action: string,
    next: (currentCiphertext: string | null) => WebhookSecretColumns,
  ): Promise<WebhookSecretState> {
    const state = await inTenantScope(this.database, actor, tenantId, async (tx) => {
      const before = await load(tx, tenantId);
      if (before.status === 'deleted') throw new AppError('CONFLICT', { message: 'The tenant is deleted' });
      const after = await updateWebhookSecret(tx, tenantId, next(before.webhook_secret_ciphertext));
      const now = this.clock.now();
      await appendAudit(tx, {
        ...auditBy(actor),
        tenantId,
        action,
        resourceType: 'webhook_secret',
        resourceId: tenantId,
        before: audited(stateOf(before, now)),
        after: audited(stateOf(after, now)),
      });
      return stateOf(after, now);
    });
    await this.announcer.announce({ type: 'tenant', tenantId });
    return state;
  }
}

async function load(tx: OperatorTx | TenantTx, tenantId: string): Promise<WebhookSecretRow> {
  const row = await lockWebhookSecret(tx, tenantId);
  if (!row) throw new AppError('NOT_FOUND', { message: 'Tenant not found' });
  return row;
}

function stateOf(row: WebhookSecretColumns, now: Date): WebhookSecretState {
  const until = row.webhook_secret_previous_ciphertext !== null ? row.webhook_secret_previous_expires_at : null;
  return { set: row.webhook_secret_ciphertext !== null, previousValidUntil: until && until > now ? until.toISOString() : null };
}

/** Audit values: whether a secret is set and until when the old one verifies; the secret is never written. */
function audited(state: WebhookSecretState) {
  return { webhookSecret: state.set ? REDACTED : null, previousValidUntil: state.previousValidUntil };
}

function generateSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}
