import { Inject, Injectable } from '@nestjs/common';
import type { BusProducer } from '@orqestra/bus';
import { withOperator, type Database, type OperatorTx } from '@orqestra/db';
import { DATABASE, PRODUCER } from '../../platform/tokens.js';
import { appendAudit } from '../audit/audit.repository.js';
import { type Actor, auditBy } from '../../platform/auth/actor.js';
import { dryRunOf } from './dead-letter-dry-run.js';
import { deadLettersMatching, DeadLetterReplayService, type ReplayFilter } from './dead-letter-replay.service.js';

export interface OperatorBulkFilter extends ReplayFilter {
  /** Absent: every tenant (the controller has checked the typed confirmation). */
  tenantId?: string;
}

/**
 * An operator's bulk actions on dead letters across tenants (SPEC §3 step 5, §6): a dry run that
 * counts what matches (by tenant, error code and provider, with a sample), and a replay or discard
 * of up to `limit` letters per call. The work itself is the tenant routes' own, tenant by tenant
 * (DeadLetterReplayService: each letter changes with its audit entry in one transaction, confined to its
 * tenant); the call adds one summary audit entry (`dlq.bulk_replay` / `dlq.bulk_discard`).
 * Synchronous and capped: the console calls again while `remaining` > 0.
 */
@Injectable()
export class DeadLetterBulkService {
  private readonly letters: DeadLetterReplayService;

  constructor(
    @Inject(DATABASE) private readonly database: Database,
    @Inject(PRODUCER) producer: BusProducer,
  ) {
    this.letters = new DeadLetterReplayService(database, producer);
  }

  async dryRun(actor: Actor, filter: OperatorBulkFilter, limit: number) {
    const counts = await withOperator(this.database, actor.id, (tx) => dryRunOf(this.matching(tx, filter), limit, true));
    return { dryRun: true as const, ...counts };
  }

  /** Replays or discards up to `limit` matching letters, oldest tenants' first, and audits the call once. */
  async run(actor: Actor, action: 'replay' | 'discard', filter: OperatorBulkFilter, options: { limit: number; reason: string }) {
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
