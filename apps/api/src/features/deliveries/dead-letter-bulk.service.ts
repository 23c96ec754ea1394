import { Inject, Injectable } from '@nestjs/common';
import type { BusProducer } from '@orqestra/bus';
import { withOperator, type Database } from '@orqestra/db';
import { DATABASE, PRODUCER } from '../../platform/tokens.js';
import { appendAudit } from '../audit/audit.repository.js';
import { type Actor, auditBy } from '../../platform/auth/actor.js';
import { bulkMatchesByTenant, operatorDryRun, type OperatorBulkFilter } from './dead-letter.repository.js';
import { dryRunView } from './dead-letter.views.js';
import { DeadLetterReplayService } from './dead-letter-replay.service.js';

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
    const counts = dryRunView(await withOperator(this.database, actor.id, (tx) => operatorDryRun(tx, filter)), limit, true);
    return { dryRun: true as const, ...counts };
  }

  /** Replays or discards up to `limit` matching letters, oldest tenants' first, and audits the call once. */
  async run(actor: Actor, action: 'replay' | 'discard', filter: OperatorBulkFilter, options: { limit: number; reason: string }) {
    const tenants = await withOperator(this.database, actor.id, (tx) => bulkMatchesByTenant(tx, filter));
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
          after: {
            filter: auditedFilter(filter),
            allTenants: filter.tenantId === undefined,
            reason: options.reason,
            limit: options.limit,
            matched,
            done,
            byTenant,
          },
        }),
      filter.tenantId ? { tenantId: filter.tenantId } : {},
    );
    return result;
  }
}

function auditedFilter(filter: OperatorBulkFilter) {
  return {
    ...filter,
    ...(filter.since ? { since: filter.since.toISOString() } : {}),
    ...(filter.until ? { until: filter.until.toISOString() } : {}),
  };
}
