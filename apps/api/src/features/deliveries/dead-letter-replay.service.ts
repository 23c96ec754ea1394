import { sql, type SelectQueryBuilder } from 'kysely';
import type { BusProducer } from '@orqestra/bus';
import type { Channel, Dispatch } from '@orqestra/contracts';
import { deliveryState, withOperator, withTenant, type Database, type DB, type OperatorTx, type TenantTx } from '@orqestra/db';
import { AppError } from '../../platform/errors.js';
import { appendAudit } from '../audit/audit.repository.js';

export interface ReplayFilter {
  provider?: string;
  channel?: Channel;
  errorCode?: string;
  eventType?: string;
  since?: Date;
  until?: Date;
}

/** Narrows a query of failed_notifications to the letters a filter names (listing, counting, replaying). */
export function deadLettersMatching<O>(query: SelectQueryBuilder<DB, 'failed_notifications', O>, filter: ReplayFilter): SelectQueryBuilder<DB, 'failed_notifications', O> {
  let narrowed = query;
  if (filter.provider) narrowed = narrowed.where('provider', '=', filter.provider);
  if (filter.channel) narrowed = narrowed.where('channel', '=', filter.channel);
  if (filter.errorCode) narrowed = narrowed.where('error_code', '=', filter.errorCode);
  if (filter.eventType) narrowed = narrowed.where('event_type', '=', filter.eventType);
  if (filter.since) narrowed = narrowed.where('created_at', '>=', filter.since);
  if (filter.until) narrowed = narrowed.where('created_at', '<', filter.until);
  return narrowed;
}

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

  async replayOne(actor: ReplayActor, tenantId: string, notificationId: string, reason: string): Promise<{ notificationId: string; attemptSeries: number }> {
    const [dispatched] = await this.replay(actor, tenantId, { ids: [notificationId] }, reason, 1);
    if (!dispatched) throw new AppError('NOT_FOUND', { message: 'No dead letter to replay for this notification' });
    return { notificationId, attemptSeries: dispatched.attemptSeries };
  }

  /** Dry run: how many dead letters match. */
  async count(actor: ReplayActor, tenantId: string, filter: ReplayFilter): Promise<number> {
    return this.inContext(actor, tenantId, async (tx) => Number((await this.matching(tx, tenantId, filter).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0));
  }

  async replayMatching(actor: ReplayActor, tenantId: string, filter: ReplayFilter, reason: string, limit: number): Promise<number> {
    return (await this.replay(actor, tenantId, { filter }, reason, Math.min(limit, MAX_REPLAY_PER_CALL))).length;
  }

  /**
   * Discards dead letters (one by id, or up to `limit` matching a filter): each is marked
   * `discarded` with the reason and an audit entry, in one transaction. Nothing is dispatched.
   */
  async discard(actor: ReplayActor, tenantId: string, which: { ids: string[] } | { filter: ReplayFilter }, reason: string, limit: number): Promise<string[]> {
    if (reason.trim().length === 0) throw new AppError('VALIDATION_FAILED', { details: [{ path: 'reason', message: 'a reason is required' }] });
    return this.inContext(actor, tenantId, async (tx) => {
      let query = this.matching(tx, tenantId, 'filter' in which ? which.filter : {}).select(['id', 'notification_id']);
      if ('ids' in which) query = query.where('notification_id', 'in', which.ids);
      const letters = await query.orderBy('created_at').limit(Math.min(limit, MAX_REPLAY_PER_CALL)).forUpdate().skipLocked().execute();
      if (letters.length === 0) return [];
      await tx.db
        .updateTable('failed_notifications')
        .set({ status: 'discarded', discarded_at: sql<Date>`now()`, replay_reason: reason, resolved_by: actor.id, updated_at: sql<Date>`now()` })
        .where('tenant_id', '=', tenantId)
        .where('id', 'in', letters.map((l) => l.id))
        .execute();
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

  private matching(tx: OperatorTx | TenantTx, tenantId: string, filter: ReplayFilter) {
    return deadLettersMatching(tx.db.selectFrom('failed_notifications').where('tenant_id', '=', tenantId).where('status', '=', 'dead'), filter);
  }

  private async replay(actor: ReplayActor, tenantId: string, which: { ids: string[] } | { filter: ReplayFilter }, reason: string, limit: number): Promise<Dispatch[]> {
    if (reason.trim().length === 0) throw new AppError('VALIDATION_FAILED', { details: [{ path: 'reason', message: 'a reason is required' }] });
    const messages = await this.inContext(
      actor,
      tenantId,
      async (tx) => {
        let query = this.matching(tx, tenantId, 'filter' in which ? which.filter : {}).select(['id', 'notification_id', 'payload']);
        if ('ids' in which) query = query.where('notification_id', 'in', which.ids);
        const letters = await query.orderBy('created_at').limit(limit).forUpdate().skipLocked().execute();
        const out: Dispatch[] = [];
        for (const letter of letters) {
          const log = await deliveryState.resetForReplay(tx, tenantId, letter.notification_id);
          if (!log) continue;
          await tx.db
            .updateTable('failed_notifications')
            .set((eb) => ({ status: 'replayed', replay_count: eb('replay_count', '+', 1), replayed_at: sql<Date>`now()`, replay_reason: reason, resolved_by: actor.id, updated_at: sql<Date>`now()` }))
            .where('id', '=', letter.id)
            .execute();
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
      },
    );
    await this.producer.publish('dispatch', messages.map((message) => ({ message, traceId: message.traceId })));
    return messages;
  }

  private inContext<T>(actor: ReplayActor, tenantId: string, fn: (tx: OperatorTx | TenantTx) => Promise<T>): Promise<T> {
    if (actor.type === 'operator') return withOperator(this.database, actor.id, fn, { tenantId });
    return withTenant(this.database, { tenantId, actorType: 'tenant_admin', actorId: actor.id }, fn);
  }
}
