import { Inject, Injectable } from '@nestjs/common';
import type { BusProducer } from '@orqestra/bus';
import { withOperator, type Database, type OperatorTx, type TenantTx } from '@orqestra/db';
import { AppError } from '../../platform/errors.js';
import { DATABASE, PRODUCER } from '../../platform/tokens.js';
import { findDeadLetter, listDeadLetters, tenantDryRun, type DeadLetterListFilter, type ReplayFilter } from './dead-letter.repository.js';
import { dryRunView, letterView } from './dead-letter.views.js';
import { DeadLetterReplayService, type ReplayActor } from './dead-letter-replay.service.js';
import { type Actor, inTenantScope, isViewer, tenantOf } from '../../platform/auth/actor.js';

/**
 * Dead letters for admins (SPEC §3 step 5, §6): list and inspect (viewers never see the payload,
 * which holds the recipient and the rendered message), replay one or many by filter (dry-run
 * count first, capped, reason required) through DeadLetterReplayService, and discard with a reason.
 * Tenant admins act inside their tenant; operators across tenants, confined to the letter's tenant
 * when they change it.
 */
@Injectable()
export class DeadLetterService {
  private readonly replays: DeadLetterReplayService;

  constructor(
    @Inject(DATABASE) private readonly database: Database,
    @Inject(PRODUCER) producer: BusProducer,
  ) {
    this.replays = new DeadLetterReplayService(database, producer);
  }

  async list(actor: Actor, filter: DeadLetterListFilter, page: { page: number; limit: number }) {
    const run = async (tx: TenantTx | OperatorTx) => {
      const { total, rows } = await listDeadLetters(tx, filter, page);
      return { total, rows: rows.map((r) => letterView(r, actor.type === 'operator')) };
    };
    if (actor.type === 'operator') return withOperator(this.database, actor.id, run);
    const tenantId = tenantOf(actor);
    return inTenantScope(this.database, actor, tenantId, (tx) => run(tx).then((r) => r));
  }

  async inspect(actor: Actor, notificationId: string) {
    const row = await this.read(actor, notificationId);
    const hide = isViewer(actor);
    return {
      ...letterView(row, actor.type === 'operator'),
      lastError: row.last_error ?? null,
      attempts: row.attempts as Record<string, unknown>[],
      payload: hide ? null : (row.payload as Record<string, unknown>),
      payloadHidden: hide,
    };
  }

  async replayOne(actor: Actor, notificationId: string, reason: string) {
    const tenantId = await this.tenantOfLetter(actor, notificationId);
    return this.replays.replayOne(replayActor(actor), tenantId, notificationId, reason);
  }

  /** Dry run: what matches (count, breakdown, sample); otherwise replays up to `limit` and answers how many. */
  async replayMatching(actor: Actor, filter: ReplayFilter, options: { dryRun: boolean; limit: number; reason?: string }) {
    const tenantId = tenantOf(actor);
    if (options.dryRun) {
      const counts = dryRunView(
        await inTenantScope(this.database, actor, tenantId, (tx) => tenantDryRun(tx, tenantId, filter)),
        options.limit,
        false,
      );
      return { dryRun: true, replayed: 0, ...counts };
    }
    const matched = await this.replays.count(replayActor(actor), tenantId, filter);
    const replayed = await this.replays.replayMatching(replayActor(actor), tenantId, filter, options.reason ?? '', options.limit);
    return { dryRun: false, matched, replayed };
  }

  async discard(actor: Actor, notificationId: string, reason: string) {
    const tenantId = await this.tenantOfLetter(actor, notificationId);
    const [discarded] = await this.replays.discard(replayActor(actor), tenantId, { ids: [notificationId] }, reason, 1);
    if (!discarded) throw new AppError('NOT_FOUND', { message: 'No dead letter to discard for this notification' });
    return { notificationId, status: 'discarded' as const };
  }

  private async read(actor: Actor, notificationId: string) {
    const run = (tx: TenantTx | OperatorTx) => findDeadLetter(tx, notificationId);
    const row =
      actor.type === 'operator'
        ? await withOperator(this.database, actor.id, run)
        : await inTenantScope(this.database, actor, tenantOf(actor), run);
    if (!row) throw new AppError('NOT_FOUND', { message: 'No dead letter for this notification' });
    return row;
  }

  /** The tenant a letter belongs to: the caller's own for tenant admins (RLS hides others), looked up for operators. */
  private async tenantOfLetter(actor: Actor, notificationId: string): Promise<string> {
    return (await this.read(actor, notificationId)).tenant_id;
  }
}

function replayActor(actor: Actor): ReplayActor {
  return { type: actor.type, id: actor.id, ip: actor.ip, userAgent: actor.userAgent, traceId: actor.traceId };
}
