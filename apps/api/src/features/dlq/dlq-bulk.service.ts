import { Inject, Injectable } from '@nestjs/common';
import type { BusProducer } from '@orqestra/bus';
import type { Channel } from '@orqestra/contracts';
import { withOperator, type Database, type OperatorTx } from '@orqestra/db';
import { DATABASE, PRODUCER } from '../../platform/tokens.js';
import { appendAudit } from '../audit/audit.repository.js';
import { type AdminActor, auditBy } from '../../platform/auth/admin-context.js';
import { deadLettersMatching, DlqReplayService, type ReplayFilter } from './dlq-replay.service.js';

export interface OperatorBulkFilter extends ReplayFilter {
  /** Absent: every tenant (the controller has checked the typed confirmation). */
  tenantId?: string;
}

const SAMPLE_SIZE = 20;

/**
 * An operator's bulk actions on dead letters across tenants (SPEC §3 step 5, §6): a dry run that
 * counts what matches (by tenant, error code and provider, with a sample), and a replay or discard
 * of up to `limit` letters per call. The work itself is the tenant routes' own, tenant by tenant
 * (DlqReplayService: each letter changes with its audit entry in one transaction, confined to its
 * tenant); the call adds one summary audit entry (`dlq.bulk_replay` / `dlq.bulk_discard`).
 * Synchronous and capped: the console calls again while `remaining` > 0.
 */
@Injectable()
export class DlqBulkService {
  private readonly letters: DlqReplayService;

  constructor(
    @Inject(DATABASE) private readonly database: Database,
    @Inject(PRODUCER) producer: BusProducer,
  ) {
    this.letters = new DlqReplayService(database, producer);
  }

  async dryRun(actor: AdminActor, filter: OperatorBulkFilter, limit: number) {
    return withOperator(this.database, actor.id, async (tx) => {
      const base = this.matching(tx, filter);
      // One after another: the statements share the unit of work's connection.
      const byTenant = await base.select((eb) => ['tenant_id', eb.fn.countAll<string>().as('n'), eb.fn.min('created_at').as('oldest')]).groupBy('tenant_id').orderBy('oldest').execute();
      const byErrorCode = await base.select((eb) => ['error_code', eb.fn.countAll<string>().as('n')]).groupBy('error_code').orderBy('n', 'desc').execute();
      const byProvider = await base.select((eb) => ['provider', eb.fn.countAll<string>().as('n')]).groupBy('provider').orderBy('n', 'desc').execute();
      const sample = await base.selectAll().orderBy('created_at').orderBy('id').limit(SAMPLE_SIZE).execute();
      const matched = byTenant.reduce((sum, r) => sum + Number(r.n), 0);
      return {
        dryRun: true as const,
        matched,
        limit,
        exceedsLimit: matched > limit,
        byTenant: byTenant.map((r) => ({ tenantId: r.tenant_id, count: Number(r.n) })),
        byErrorCode: byErrorCode.map((r) => ({ errorCode: r.error_code, count: Number(r.n) })),
        byProvider: byProvider.map((r) => ({ provider: r.provider, count: Number(r.n) })),
        sample: sample.map((r) => ({
          notificationId: r.notification_id,
          tenantId: r.tenant_id,
          status: r.status,
          channel: r.channel as Channel,
          eventType: r.event_type,
          provider: r.provider,
          errorCode: r.error_code,
          attemptSeries: r.attempt_series,
          replayCount: r.replay_count,
          replayedAt: r.replayed_at?.toISOString() ?? null,
          replayReason: r.replay_reason,
          discardedAt: r.discarded_at?.toISOString() ?? null,
          resolvedBy: r.resolved_by,
          createdAt: r.created_at.toISOString(),
        })),
      };
    });
  }

  /** Replays or discards up to `limit` matching letters, oldest tenants' first, and audits the call once. */
  async run(actor: AdminActor, action: 'replay' | 'discard', filter: OperatorBulkFilter, options: { limit: number; reason: string }) {
    const tenants = await withOperator(this.database, actor.id, (tx) =>
      this.matching(tx, filter)
        .select((eb) => ['tenant_id', eb.fn.countAll<string>().as('n'), eb.fn.min('created_at').as('oldest')])
        .groupBy('tenant_id')
        .orderBy('oldest')
        .execute(),
    );
    const matched = tenants.reduce((sum, r) => sum + Number(r.n), 0);
    const replayActor = { type: actor.type, id: actor.id, ip: actor.ip, userAgent: actor.userAgent, traceId: actor.traceId };
    const { tenantId: _tenant, ...letterFilter } = filter;
    const byTenant: { tenantId: string; done: number }[] = [];
    let left = options.limit;
    for (const { tenant_id: tenantId } of tenants) {
      if (left <= 0) break;
      const done =
        action === 'replay'
          ? await this.letters.replayMatching(replayActor, tenantId, letterFilter, options.reason, left)
          : (await this.letters.discard(replayActor, tenantId, { filter: letterFilter }, options.reason, left)).length;
      if (done > 0) byTenant.push({ tenantId, done });
      left -= done;
    }
    const done = options.limit - left;
    const result = { dryRun: false as const, action, matched, done, remaining: Math.max(matched - done, 0), byTenant };
    await withOperator(
      this.database,
      actor.id,
      (tx) =>
        appendAudit(tx, {
          tenantId: filter.tenantId ?? null,
          ...auditBy(actor),
          action: action === 'replay' ? 'dlq.bulk_replay' : 'dlq.bulk_discard',
          resourceType: 'dead_letters',
          after: { filter: auditedFilter(filter), allTenants: filter.tenantId === undefined, reason: options.reason, limit: options.limit, matched, done, byTenant },
        }),
      filter.tenantId ? { tenantId: filter.tenantId } : {},
    );
    return result;
  }

  /**
   * The dead letters a bulk action touches. Across tenants only active tenants' letters: "replay
   * everything" must not deliver for a suspended or deleted tenant. A tenant named in the filter is
   * the operator's explicit choice (suspended included), but never a deleted one.
   */
  private matching(tx: OperatorTx, filter: OperatorBulkFilter) {
    const query = deadLettersMatching(tx.db.selectFrom('failed_notifications').where('status', '=', 'dead'), filter);
    const tenants = tx.db.selectFrom('tenants').select('id');
    if (filter.tenantId) return query.where('tenant_id', '=', filter.tenantId).where('tenant_id', 'in', tenants.where('status', '<>', 'deleted'));
    return query.where('tenant_id', 'in', tenants.where('status', '=', 'active'));
  }
}

function auditedFilter(filter: OperatorBulkFilter) {
  return { ...filter, ...(filter.since ? { since: filter.since.toISOString() } : {}), ...(filter.until ? { until: filter.until.toISOString() } : {}) };
}
