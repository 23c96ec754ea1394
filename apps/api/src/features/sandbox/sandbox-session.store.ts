import type { Redis } from 'ioredis';
import { countInWindow } from '../../platform/request-limit.js';

/** What Redis keeps of a live session (SPEC §7): never the device id itself, only its SHA-256. */
export interface SessionRecord {
  allowedIp: string;
  /** SHA-256 (hex) of the bound X-Device-Id, or null when no device was bound. */
  deviceHash: string | null;
  expiresAt: number;
}

/** Kept a day past the session, so a key used after its end is recognised (and audited) as such. */
export interface Tombstone {
  reason: 'expired' | 'ended';
  expiresAt: number;
}

const DAY_MS = 86_400_000;

/**
 * Sandbox session records in Redis: the record lives exactly as long as the session; the
 * tombstone a day longer. Keys carry the `{tenantId}` hash tag, so one session's keys share a
 * Redis Cluster slot (MGET and MULTI stay single-slot).
 */
export class SandboxSessionStore {
  constructor(private readonly redis: Redis) {}

  async create(tenantId: string, sessionId: string, record: SessionRecord, now: number): Promise<void> {
    const ttl = Math.max(record.expiresAt - now, 1);
    const tombstone: Tombstone = { reason: 'expired', expiresAt: record.expiresAt };
    await this.redis
      .multi()
      .set(recordKey(tenantId, sessionId), JSON.stringify(record), 'PX', ttl)
      .set(tombstoneKey(tenantId, sessionId), JSON.stringify(tombstone), 'PX', ttl + DAY_MS)
      .exec()
      .then(failOnError);
  }

  async read(tenantId: string, sessionId: string): Promise<{ record: SessionRecord | null; tombstone: Tombstone | null }> {
    const [record, tombstone] = await this.redis.mget(recordKey(tenantId, sessionId), tombstoneKey(tenantId, sessionId));
    return { record: parse<SessionRecord>(record), tombstone: parse<Tombstone>(tombstone) };
  }

  /** Live records of several sessions of one tenant (null where a session has none). */
  async records(tenantId: string, sessionIds: string[]): Promise<(SessionRecord | null)[]> {
    if (sessionIds.length === 0) return [];
    const values = await this.redis.mget(...sessionIds.map((id) => recordKey(tenantId, id)));
    return values.map((value) => parse<SessionRecord>(value));
  }

  /** Ends a session: the record goes, the tombstone says "ended" until a day after the planned expiry. */
  async end(tenantId: string, sessionId: string, expiresAt: number, now: number): Promise<void> {
    const tombstone: Tombstone = { reason: 'ended', expiresAt };
    await this.redis
      .multi()
      .del(recordKey(tenantId, sessionId))
      .set(tombstoneKey(tenantId, sessionId), JSON.stringify(tombstone), 'PX', Math.max(expiresAt + DAY_MS - now, 1_000))
      .exec()
      .then(failOnError);
  }

  /** Counts one refused request of a session in the current one-minute window; returns the count so far. */
  async countViolation(tenantId: string, sessionId: string): Promise<number> {
    const [count] = await countInWindow(this.redis, `orq:{${tenantId}}:sandbox:violations:${sessionId}`, 60_000);
    return count;
  }
}

function recordKey(tenantId: string, sessionId: string): string {
  return `orq:{${tenantId}}:sandbox:session:${sessionId}`;
}

function tombstoneKey(tenantId: string, sessionId: string): string {
  return `orq:{${tenantId}}:sandbox:tombstone:${sessionId}`;
}

function parse<T>(value: string | null | undefined): T | null {
  if (!value) return null;
  try {
    return JSON.parse(value) as T;
  } catch {
    return null;
  }
}

function failOnError(results: [Error | null, unknown][] | null): void {
  if (!results) throw new Error('Redis transaction aborted');
  for (const [error] of results) if (error) throw error;
}
