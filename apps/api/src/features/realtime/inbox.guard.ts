import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { jwtVerify } from 'jose';
import { REALTIME_TOKEN_AUDIENCE, REALTIME_TOKEN_ISSUER } from '@orqestra/contracts';
import { realtimeSubject } from '@orqestra/crypto';
import type { Config } from '../../config.js';
import { ApiKeyGuard } from '../../platform/auth/api-key.guard.js';
import { AppError } from '../../platform/errors.js';
import { annotate } from '@orqestra/telemetry';
import { enforceRequestLimit } from '../../platform/request-limit.js';
import { CLOCK, CONFIG, REDIS, type Clock } from '../../platform/tokens.js';

/** Whose inbox a request opens, and who is asking (for the transaction's actor). */
export interface InboxOwner {
  tenantId: string;
  userId: string;
  actor: { type: 'api_key' | 'system_tenant'; id: string };
}

declare module 'fastify' {
  interface FastifyRequest {
    inboxOwner?: InboxOwner;
  }
}

const USER_ID_MAX = 256;

/**
 * Inbox authentication (SPEC §2.5): the realtime token as `Authorization: Bearer` (browsers, any
 * origin, no cookies; signature, `aud` and `iss` checked, the user from the token), or the tenant
 * API key with `?userId=` (tenant backends; the API key rules apply, signature included on POST).
 * Then the per-user request limit.
 */
@Injectable()
export class InboxGuard implements CanActivate {
  private readonly key: Uint8Array;

  constructor(
    private readonly apiKeys: ApiKeyGuard,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.key = new TextEncoder().encode(config.centrifugo.hmacSecret);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const owner =
      request.headers.authorization !== undefined
        ? await this.fromToken(request.headers.authorization)
        : await this.fromApiKey(context, request);
    annotate({ tenantId: owner.tenantId });
    await enforceRequestLimit(this.redis, {
      key: `inbox:{${owner.tenantId}}:${realtimeSubject(owner.tenantId, owner.userId)}`,
      limit: this.config.realtime.inboxRate.perMinute,
      windowSeconds: 60,
    });
    request.inboxOwner = owner;
    return true;
  }

  private async fromToken(header: string): Promise<InboxOwner> {
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        audience: REALTIME_TOKEN_AUDIENCE,
        issuer: REALTIME_TOKEN_ISSUER,
        currentDate: this.clock.now(),
        requiredClaims: ['sub', 'exp', 'orq_tid', 'orq_uid'],
      });
      const { sub, orq_tid: tenantId, orq_uid: userId } = payload;
      // The claims must agree with the subject Centrifugo used, or the token was not ours.
      if (typeof tenantId === 'string' && typeof userId === 'string' && sub === realtimeSubject(tenantId, userId)) {
        return { tenantId, userId, actor: { type: 'system_tenant', id: 'inbox' } };
      }
    } catch {
      // fall through: one answer for every kind of bad token
    }
    throw new AppError('UNAUTHENTICATED', { message: 'Missing, invalid or expired realtime token' });
  }

  private async fromApiKey(context: ExecutionContext, request: FastifyRequest): Promise<InboxOwner> {
    await this.apiKeys.canActivate(context);
    const principal = request.principal!;
    const userId = (request.query as Record<string, unknown>).userId;
    if (typeof userId !== 'string' || userId.length === 0 || userId.length > USER_ID_MAX) {
      throw new AppError('VALIDATION_FAILED', {
        details: [{ path: 'userId', message: `required with an API key: 1-${USER_ID_MAX} characters` }],
      });
    }
    return { tenantId: principal.tenantId, userId, actor: { type: 'api_key', id: principal.apiKeyId } };
  }
}
