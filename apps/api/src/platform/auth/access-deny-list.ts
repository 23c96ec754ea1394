import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppError } from '../errors.js';
import type { Config } from '../../config.js';
import { CLOCK, CONFIG, REDIS, type Clock } from '../tokens.js';

/** Clock skew between API processes, added to every deny entry's life. */
const MARGIN_SECONDS = 60;

/**
 * Access JWTs that must stop working before they expire (SPEC §6/§7): the refresh-token
 * families ended by logout, refresh-token reuse, a password change (the person's other
 * sessions) or an operator's password reset, and — for a reset — every token of that person
 * issued before it. Entries live in Redis for one access-token lifetime (ADMIN_ACCESS_TOKEN_SECONDS,
 * 15 minutes by default) plus a margin, after which the tokens they refuse have expired anyway —
 * which is why every API process must use the same lifetime.
 *
 * Redis unreachable → 503 UNAVAILABLE, both when writing (the session change is refused, so the
 * caller retries) and when the AccessGuard reads (fail closed: a revoked token must never pass
 * because Redis was down). Keys carry one hash tag each, so a Redis Cluster works.
 */
@Injectable()
export class AccessDenyList {
  private readonly entrySeconds: number;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CONFIG) config: Config,
  ) {
    this.entrySeconds = config.admin.accessTokenSeconds + MARGIN_SECONDS;
  }

  /** Refuses every access token of these session families from now on. */
  async denyFamilies(familyIds: Iterable<string>): Promise<void> {
    const ids = [...new Set(familyIds)];
    if (ids.length === 0) return;
    await Promise.all(ids.map((id) => this.redis.set(familyKey(id), '1', 'EX', this.entrySeconds))).catch(unavailable);
  }

  /** Refuses every access token of this person issued before now (a password reset). */
  async denySubjectBefore(subjectId: string): Promise<void> {
    const seconds = Math.floor(this.clock.now().getTime() / 1000);
    await this.redis.set(subjectKey(subjectId), String(seconds), 'EX', this.entrySeconds).catch(unavailable);
  }

  /** Whether a verified token (its family, its subject and when it was issued, in seconds) is refused. */
  async refuses(token: { sessionFamilyId: string; subjectId: string; issuedAt: number }): Promise<boolean> {
    const [family, subject] = await Promise.all([
      this.redis.get(familyKey(token.sessionFamilyId)),
      this.redis.get(subjectKey(token.subjectId)),
    ]).catch(unavailable);
    if (family !== null) return true;
    // Issued in an earlier second than the reset: the same second is let through, so a login right
    // after the reset works; a token of that second from before the reset is caught by its family.
    return subject !== null && token.issuedAt < Number(subject);
  }
}

const familyKey = (familyId: string) => `orq:admin-deny:family:{${familyId}}`;
const subjectKey = (subjectId: string) => `orq:admin-deny:subject:{${subjectId}}`;

function unavailable(): never {
  throw new AppError('UNAVAILABLE', { message: 'Temporarily unavailable: try again', headers: { 'retry-after': '1' } });
}
