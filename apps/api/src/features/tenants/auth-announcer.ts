import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { announceAuthInvalidation, type AuthInvalidation } from '../../platform/auth/api-key.resolver.js';

/**
 * Tells every API process to drop its cached view of a key or a tenant after a committed change
 * (suspension, deletion, limits, key rotation, webhook secret). A lost announcement is not an
 * error: the caches trust an entry for at most 5 seconds anyway (SPEC §7).
 */
export interface AuthAnnouncements {
  announce(...messages: AuthInvalidation[]): Promise<void>;
}

export class AuthAnnouncer implements AuthAnnouncements {
  constructor(
    private readonly redis: Redis,
    private readonly logger: Logger,
  ) {}

  async announce(...messages: AuthInvalidation[]): Promise<void> {
    for (const message of messages) {
      await announceAuthInvalidation(this.redis, message).catch((error: unknown) =>
        this.logger.warn({ err: error, invalidation: message.type }, 'auth invalidation not announced; caches expire within 5 s'),
      );
    }
  }
}

/** For callers with no API processes to tell (the CLI). */
export const silentAnnouncer: AuthAnnouncements = { announce: async () => {} };
