import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Database, TenantTx } from '@orqestra/db';
import type { Config } from '../../config.js';
import { generateApiKey } from '../../platform/api-keys.js';
import { auditBy, inOwnTenant, isViewer, tenantOf, type Actor } from '../../platform/auth/actor.js';
import { announceAuthInvalidation } from '../../platform/auth/api-key.resolver.js';
import { AppError } from '../../platform/errors.js';
import { CLOCK, CONFIG, DATABASE, REDIS, type Clock } from '../../platform/tokens.js';
import { appendAudit } from '../audit/audit.repository.js';
import { hashDeviceId } from './device-id.js';
import { sandboxRepository, type CapturedMessageRow } from './sandbox.repository.js';
import { SANDBOX_STORE } from './sandbox.tokens.js';
import type { SandboxSessionStore } from './sandbox-session.store.js';

export interface StartedSession {
  sessionId: string;
  /** Shown once; only its SHA-256 is stored. */
  apiKey: string;
  allowedIp: string;
  deviceBound: boolean;
  expiresAt: string;
}

export interface ActiveSession {
  sessionId: string;
  keyPrefix: string;
  allowedIp: string | null;
  deviceBound: boolean;
  createdAt: string;
  expiresAt: string;
}

export interface CapturedMessage {
  id: string;
  notificationId: string;
  channel: CapturedMessageRow['channel'];
  eventType: string | null;
  recipient: string | null;
  /** null for viewers. */
  content: unknown;
  contentHidden: boolean;
  capturedAt: string;
}

/**
 * Sandbox sessions (SPEC §7): a tenant admin starts one and gets an oq_test_ key bound to an
 * address or block (default: the caller's) and optionally a device; the session lives in Redis
 * for its TTL with a tombstone a day longer; the key row (mode sandbox, expires_at) is the
 * database's view of it. Ending a session removes the record first (so nothing slips through
 * while the database commits), then revokes the key and tells every API process to drop it.
 */
@Injectable()
export class SandboxService {
  constructor(
    @Inject(SANDBOX_STORE) private readonly store: SandboxSessionStore,
    @Inject(DATABASE) private readonly database: Database,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async start(actor: Actor, input: { allowedIp: string; deviceId?: string }): Promise<StartedSession> {
    const now = this.clock.now();
    const sessionId = randomUUID();
    const expiresAt = new Date(now.getTime() + this.config.sandbox.sessionTtlSeconds * 1000);
    const key = generateApiKey('sandbox');
    const deviceHash = input.deviceId === undefined ? null : hashDeviceId(input.deviceId);
    await this.redisStep(() =>
      this.store.create(
        tenantOf(actor),
        sessionId,
        { allowedIp: input.allowedIp, deviceHash, expiresAt: expiresAt.getTime() },
        now.getTime(),
      ),
    );
    await this.inTenant(actor, async (tx) => {
      const apiKeyId = await sandboxRepository.insertSessionKey(tx, {
        sessionId,
        keyHash: key.hash,
        displayPrefix: key.displayPrefix,
        expiresAt,
      });
      await appendAudit(tx, {
        ...audited(actor),
        action: 'sandbox.start',
        resourceType: 'sandbox_session',
        resourceId: sessionId,
        after: {
          sessionId,
          apiKeyId,
          keyPrefix: key.displayPrefix,
          allowedIp: input.allowedIp,
          deviceBound: deviceHash !== null,
          expiresAt: expiresAt.toISOString(),
        },
      });
    });
    return {
      sessionId,
      apiKey: key.plaintext,
      allowedIp: input.allowedIp,
      deviceBound: deviceHash !== null,
      expiresAt: expiresAt.toISOString(),
    };
  }

  /** Ends a live session early; an unknown, ended or expired one is NOT_FOUND. */
  async end(actor: Actor, sessionId: string): Promise<{ sessionId: string; endedAt: string }> {
    const now = this.clock.now();
    const session = await this.inTenant(actor, (tx) => sandboxRepository.findSession(tx, sessionId));
    if (!session || session.status !== 'active' || session.expiresAt <= now)
      throw new AppError('NOT_FOUND', { message: 'No live sandbox session with this id' });
    await this.redisStep(() => this.store.end(tenantOf(actor), sessionId, session.expiresAt.getTime(), now.getTime()));
    const revoked = await this.inTenant(actor, async (tx) => {
      if (!(await sandboxRepository.revokeSessionKey(tx, session.apiKeyId))) return false;
      await appendAudit(tx, {
        ...audited(actor),
        action: 'sandbox.end',
        resourceType: 'sandbox_session',
        resourceId: sessionId,
        before: { status: 'active', expiresAt: session.expiresAt.toISOString() },
        after: { status: 'ended', endedAt: now.toISOString() },
      });
      return true;
    });
    if (!revoked) throw new AppError('NOT_FOUND', { message: 'No live sandbox session with this id' });
    await announceAuthInvalidation(this.redis, { type: 'api_key', keyHash: session.keyHash }).catch(() => {
      // The record is gone already, and cached keys are re-read within seconds anyway.
    });
    return { sessionId, endedAt: now.toISOString() };
  }

  async listActive(actor: Actor, page: { page: number; limit: number }): Promise<{ rows: ActiveSession[]; total: number }> {
    const { rows, total } = await this.inTenant(actor, (tx) =>
      sandboxRepository.listActiveSessions(tx, this.clock.now(), { offset: (page.page - 1) * page.limit, limit: page.limit }),
    );
    const records = await this.redisStep(() =>
      this.store.records(
        tenantOf(actor),
        rows.map((r) => r.sessionId),
      ),
    );
    const sessions = rows.map((row, index) => {
      const record = records[index] ?? null;
      return {
        sessionId: row.sessionId,
        keyPrefix: row.displayPrefix,
        allowedIp: record?.allowedIp ?? null,
        deviceBound: record ? record.deviceHash !== null : false,
        createdAt: row.createdAt.toISOString(),
        expiresAt: row.expiresAt.toISOString(),
      };
    });
    return { rows: sessions, total };
  }

  /** What the capture provider stored for a session of this tenant, newest first. */
  async messages(
    actor: Actor,
    sessionId: string,
    page: { page: number; limit: number },
  ): Promise<{ rows: CapturedMessage[]; total: number }> {
    return this.inTenant(actor, async (tx) => {
      if (!(await sandboxRepository.findSession(tx, sessionId)))
        throw new AppError('NOT_FOUND', { message: 'No sandbox session with this id' });
      const { rows, total } = await sandboxRepository.listMessages(tx, sessionId, {
        offset: (page.page - 1) * page.limit,
        limit: page.limit,
      });
      // Viewers see what was captured, not the message itself (the rule of logs and dead letters).
      const hide = isViewer(actor);
      return {
        rows: rows.map((r) => ({
          id: r.id,
          notificationId: r.notificationId,
          channel: r.channel,
          eventType: r.eventType,
          recipient: r.recipient,
          content: hide ? null : r.content,
          contentHidden: hide,
          capturedAt: r.createdAt.toISOString(),
        })),
        total,
      };
    });
  }

  private inTenant<T>(actor: Actor, fn: (tx: TenantTx) => Promise<T>): Promise<T> {
    return inOwnTenant(this.database, actor, fn);
  }

  private async redisStep<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch {
      throw new AppError('UNAVAILABLE', { headers: { 'retry-after': '1' } });
    }
  }
}

function audited(actor: Actor) {
  return { tenantId: tenantOf(actor), ...auditBy(actor) };
}
