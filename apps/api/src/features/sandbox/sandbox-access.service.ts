import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { withTenant, type Database } from '@orqestra/db';
import type { Config } from '../../config.js';
import type { ApiKeyPrincipal, InactiveSandboxKey } from '../../platform/auth/api-key.resolver.js';
import type { SandboxAccess } from '../../platform/auth/sandbox-access.js';
import { requestOrigin, type RequestOrigin } from '../../platform/auth/actor.js';
import { AppError } from '../../platform/errors.js';
import { LOGGER } from '../../platform/platform.module.js';
import { CLOCK, CONFIG, DATABASE, type Clock } from '../../platform/tokens.js';
import { appendAudit } from '../audit/audit.repository.js';
import { ipAllowed } from './allowed-ip.js';
import { deviceMatches } from './device-id.js';
import { SANDBOX_STORE } from './sandbox.tokens.js';
import type { SandboxSessionStore } from './sandbox-session.store.js';

/** Why a sandbox key was refused; recorded in the audit entry (never the device id itself). */
export type ViolationReason = 'ip' | 'device' | 'expired' | 'ended' | 'route';

const MESSAGES: Record<ViolationReason, string> = {
  ip: 'This sandbox key is bound to another address',
  device: 'This sandbox key is bound to another device (X-Device-Id)',
  expired: 'This sandbox session has expired',
  ended: 'This sandbox session was ended',
  route: 'Sandbox keys only trigger events (and read their status)',
};

/**
 * The guard's sandbox branch (SPEC §7): a sandbox key authenticates only together with its live
 * session record in Redis — from the bound address or block (client IP by the configured trusted
 * proxy hops), with the bound X-Device-Id, before expiry, on routes that admit sandbox keys — and
 * then acts under the sandbox quota instead of the tenant's live one. Every refusal is 401
 * SANDBOX_SESSION_INVALID and is audited, at most `violationAuditsPerMinute` entries per session
 * and minute (the rest are refused without an entry, so a misbehaving client cannot flood the log).
 */
@Injectable()
export class SandboxAccessService implements SandboxAccess {
  constructor(
    @Inject(SANDBOX_STORE) private readonly store: SandboxSessionStore,
    @Inject(DATABASE) private readonly database: Database,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async admit(principal: ApiKeyPrincipal, request: FastifyRequest, routeAdmitsSandbox: boolean): Promise<ApiKeyPrincipal> {
    const sessionId = principal.sandboxSessionId;
    if (!sessionId) throw new AppError('SANDBOX_SESSION_INVALID');
    const key = { apiKeyId: principal.apiKeyId, tenantId: principal.tenantId, sandboxSessionId: sessionId };
    let session: Awaited<ReturnType<SandboxSessionStore['read']>>;
    try {
      session = await this.store.read(principal.tenantId, sessionId);
    } catch {
      throw new AppError('UNAVAILABLE', { headers: { 'retry-after': '1' } });
    }
    const { record, tombstone } = session;
    const origin = requestOrigin(request, this.config.trustedProxyHops);
    let reason: ViolationReason | undefined;
    if (!record || record.expiresAt <= this.clock.now().getTime()) reason = tombstone?.reason ?? 'expired';
    else if (!ipAllowed(record.allowedIp, origin.ip)) reason = 'ip';
    else if (record.deviceHash !== null && !deviceMatches(record.deviceHash, request.headers['x-device-id'])) reason = 'device';
    else if (!routeAdmitsSandbox) reason = 'route';
    if (reason) return this.violation(key, reason, request, origin);
    return { ...principal, limits: { ...this.config.sandbox.limits } };
  }

  async refuse(key: InactiveSandboxKey, request: FastifyRequest): Promise<never> {
    let reason: ViolationReason = key.reason;
    // An expired key whose session was ended early first: the tombstone tells which.
    const tombstone = await this.store.read(key.tenantId, key.sandboxSessionId).then(
      (s) => s.tombstone,
      () => null,
    );
    if (tombstone?.reason === 'ended') reason = 'ended';
    return this.violation(key, reason, request, requestOrigin(request, this.config.trustedProxyHops));
  }

  private async violation(
    key: Omit<InactiveSandboxKey, 'reason'>,
    reason: ViolationReason,
    request: FastifyRequest,
    origin: RequestOrigin,
  ): Promise<never> {
    try {
      const count = await this.store.countViolation(key.tenantId, key.sandboxSessionId);
      if (count <= this.config.sandbox.violationAuditsPerMinute) {
        await withTenant(this.database, { tenantId: key.tenantId, actorType: 'api_key', actorId: key.apiKeyId }, (tx) =>
          appendAudit(tx, {
            tenantId: key.tenantId,
            actorType: 'api_key',
            actorId: key.apiKeyId,
            action: 'sandbox.violation',
            resourceType: 'sandbox_session',
            resourceId: key.sandboxSessionId,
            after: { reason, method: request.method, path: request.url.split('?')[0] },
            ...origin,
          }),
        );
      }
    } catch (error) {
      // The refusal stands even when it cannot be recorded.
      this.logger.warn(
        { err: error, tenantId: key.tenantId, sandboxSessionId: key.sandboxSessionId },
        'could not audit a sandbox violation',
      );
    }
    throw new AppError('SANDBOX_SESSION_INVALID', { message: MESSAGES[reason] });
  }
}
