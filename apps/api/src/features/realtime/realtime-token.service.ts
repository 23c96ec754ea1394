import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { SignJWT } from 'jose';
import { GLOBAL_NAMESPACE, REALTIME_TOKEN_AUDIENCE, REALTIME_TOKEN_ISSUER, userChannel } from '@orqestra/contracts';
import { realtimeSubject } from '@orqestra/crypto';
import { withTenant, type Database } from '@orqestra/db';
import type { Config } from '../../config.js';
import type { ApiKeyPrincipal } from '../../platform/auth/api-key.resolver.js';
import { enforceRequestLimit } from '../../platform/request-limit.js';
import { CLOCK, CONFIG, DATABASE, REDIS, type Clock } from '../../platform/tokens.js';
import { realtimeTokenRepository } from './realtime-token.repository.js';

export interface RealtimeToken {
  token: string;
  channels: string[];
  expiresAt: string;
}

/**
 * Mints Centrifugo connection tokens (SPEC §2.4) for a tenant's user: `sub` from the one subject
 * function, channels `global_system#<sub>` plus the tenant's extra namespaces, subscribed by
 * the client (the token lists no server-side subscriptions). Sandbox keys never reach it: the API
 * key guard admits them only on the event routes (SPEC §7).
 */
@Injectable()
export class RealtimeTokenService {
  private readonly key: Uint8Array;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(DATABASE) private readonly database: Database,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.key = new TextEncoder().encode(config.centrifugo.hmacSecret);
  }

  async mint(principal: ApiKeyPrincipal, userId: string, lifetimeSeconds: number | undefined): Promise<RealtimeToken> {
    const { perMinute } = this.config.realtime.tokenRate;
    await enforceRequestLimit(this.redis, { key: `realtime-token:{${principal.tenantId}}`, limit: perMinute, windowSeconds: 60 });
    const namespaces = await withTenant(
      this.database,
      { tenantId: principal.tenantId, actorType: 'api_key', actorId: principal.apiKeyId },
      (tx) => realtimeTokenRepository.namespaces(tx),
    );
    const sub = realtimeSubject(principal.tenantId, userId);
    const channels = [GLOBAL_NAMESPACE, ...namespaces.filter((ns) => ns !== GLOBAL_NAMESPACE)].map((ns) => userChannel(ns, sub));
    const now = Math.floor(this.clock.now().getTime() / 1000);
    const exp = now + (lifetimeSeconds ?? this.config.realtime.tokenTtlSeconds);
    const token = await new SignJWT({ orq_tid: principal.tenantId, orq_uid: userId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(sub)
      .setAudience(REALTIME_TOKEN_AUDIENCE)
      .setIssuer(REALTIME_TOKEN_ISSUER)
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, channels, expiresAt: new Date(exp * 1000).toISOString() };
  }
}
