import type { BusProducer } from '@orqestra/bus';
import type { Dispatch } from '@orqestra/contracts';
import { deliveryState, withOperator, withTenant, type Database, type OperatorTx, type TenantTx } from '@orqestra/db';
import { AppError } from '../../platform/errors.js';
import { appendAudit } from '../audit/audit.repository.js';
import {
  countDeadLetters,
  lockDeadLetterIds,
  lockDeadLetters,
  markDiscarded,
  markReplayed,
  type LetterSelection,
  type ReplayFilter,
} from './dead-letter.repository.js';

/**
 * Who replays: an operator (CLI, cross-tenant admin routes) or a tenant admin (inside its tenant,
 * actor tenant_admin of the RLS policies), with what the audit entry records about the request.
 */
export interface ReplayActor {
  type: 'operator' | 'tenant_admin';
  id: string;
  ip?: string;
  userAgent?: string;
  traceId?: string;
}

/** Bulk replays are capped per call (SPEC §3 step 5). */
export const MAX_REPLAY_PER_CALL = 1_000;

/**
 * The transitions of a dead letter (failed_notifications), for every caller (admin routes, CLI):
 * replay and discard. SPEC §3 step 5: replaying a dead letter. In one transaction the log row goes back to PENDING
 * with a new attempt series (deliveryState.resetForReplay: the vendor sees a new idempotency key, and a late message
 * of the old series cannot claim it), the dead letter is marked replayed, and an audit entry records who
 * and why; the dispatch message is published after the commit (were that to fail, the sweeper
 * dispatches the PENDING row).
 */
export class DeadLetterReplayService {
  constructor(
    private readonly database: Database,
    private readonly producer: BusProducer,
  ) {}

  async replayOne(
    actor: ReplayActor,
    tenantId: string,
    notificationId: string,
    reason: string,
  ): Promise<{ notificationId: string; attemptSeries: number }> {
    const [dispatched] = await this.replay(actor, tenantId, { ids: [notificationId] }, reason, 1);
    if (!dispatched) throw new AppError('NOT_FOUND', { message: 'No dead letter to replay for this notification' });
    return { notificationId, attemptSeries: dispatched.attemptSeries };
  }

  /** Dry run: how many dead letters match. */
  async count(actor: ReplayActor, tenantId: string, filter: ReplayFilter): Promise<number> {
    return this.inContext(actor, tenantId, (tx) => countDeadLetters(tx, tenantId, filter));
  }

  async replayMatching(actor: ReplayActor, tenantId: string, filter: ReplayFilter, reason: string, limit: number): Promise<number> {
    return (await this.replay(actor, tenantId, { filter }, reason, Math.min(limit, MAX_REPLAY_PER_CALL))).length;
  }

  /**
   * Discards dead letters (one by id, or up to `limit` matching a filter): each is marked
   * `discarded` with the reason and an audit entry, in one transaction. Nothing is dispatched.
   */
  async discard(actor: ReplayActor, tenantId: string, which: LetterSelection, reason: string, limit: number): Promise<string[]> {
    if (reason.trim().length === 0)
      throw new AppError('VALIDATION_FAILED', { details: [{ path: 'reason', message: 'a reason is required' }] });
    return this.inContext(actor, tenantId, async (tx) => {
      const letters = await lockDeadLetterIds(tx, tenantId, which, Math.min(limit, MAX_REPLAY_PER_CALL));
      if (letters.length === 0) return [];
      await markDiscarded(
        tx,
        tenantId,
        letters.map((l) => l.id),
        reason,
        actor.id,
      );
      for (const letter of letters) {
        await appendAudit(tx, {
          tenantId,
          actorType: actor.type,
          actorId: actor.id,
          ip: actor.ip,
          userAgent: actor.userAgent,
          traceId: actor.traceId,
          action: 'dlq.discard',
          resourceType: 'notification',
          resourceId: letter.notification_id,
          after: { status: 'discarded', reason },
        });
      }
      return letters.map((l) => l.notification_id);
    });
  }

  private async replay(actor: ReplayActor, tenantId: string, which: LetterSelection, reason: string, limit: number): Promise<Dispatch[]> {
    if (reason.trim().length === 0)
      throw new AppError('VALIDATION_FAILED', { details: [{ path: 'reason', message: 'a reason is required' }] });
    const messages = await this.inContext(actor, tenantId, async (tx) => {
      const letters = await lockDeadLetters(tx, tenantId, which, limit);
      const out: Dispatch[] = [];
      for (const letter of letters) {
        const log = await deliveryState.resetForReplay(tx, tenantId, letter.notification_id);
        if (!log) continue;
        await markReplayed(tx, letter.id, reason, actor.id);
        await appendAudit(tx, {
          tenantId,
          actorType: actor.type,
          actorId: actor.id,
          ip: actor.ip,
          userAgent: actor.userAgent,
          traceId: actor.traceId,
          action: 'dlq.replay',
          resourceType: 'notification',
          resourceId: letter.notification_id,
          after: { attemptSeries: log.attemptSeries, reason },
        });
        out.push({ ...(letter.payload as Dispatch), attemptSeries: log.attemptSeries });
      }
      return out;
    });
    await this.producer.publish(
      'dispatch',
      messages.map((message) => ({ message, traceId: message.traceId })),
    );
    return messages;
  }

  private inContext<T>(actor: ReplayActor, tenantId: string, fn: (tx: OperatorTx | TenantTx) => Promise<T>): Promise<T> {
    if (actor.type === 'operator') return withOperator(this.database, actor.id, fn, { tenantId });
    return withTenant(this.database, { tenantId, actorType: 'tenant_admin', actorId: actor.id }, fn);
  }
}
