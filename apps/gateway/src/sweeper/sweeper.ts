import type { Logger } from 'pino';
import type { BusProducer, Outgoing } from '@orqestra/bus';
import type { Retry } from '@orqestra/contracts';
import { deliveryState, tryTransactionLock, withSystem, withTenant, type Database, type StrandedRow, type TenantTx } from '@orqestra/db';
import type { GatewayMetrics } from '../dispatch/metrics.js';

/** Advisory lock key of the sweeper: one sweep at a time across the cluster. */
const SWEEPER_LOCK = 0x6f72_7173; // "orqs"
const BATCH = 500;

/**
 * Republishes what a crash could strand (SPEC §3): PENDING rows not dispatched in time, RETRYING
 * rows past next_attempt_at whose retry message was lost, SENDING rows whose lease expired (the
 * gateway died during the call: an ambiguous send, recorded as such), and FAILED rows without a
 * dead letter. Runs as the `system` actor, one sweep at a time across the cluster (advisory lock).
 */
export class Sweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: {
      database: Database;
      producer: BusProducer;
      metrics: GatewayMetrics;
      logger: Logger;
      intervalMs: number;
      pendingAfterMs: number;
      retryGraceMs: number;
    },
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running = this.sweepOnce().catch((error: unknown) => this.deps.logger.error({ err: error }, 'sweep failed'));
    }, this.deps.intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async sweepOnce(): Promise<{ pending: number; retrying: number; leaseExpired: number; deadLetters: number } | undefined> {
    const { pendingAfterMs, retryGraceMs } = this.deps;
    const found = await withSystem(this.deps.database, 'sweeper', async (tx) => {
      if (!(await tryTransactionLock(tx, SWEEPER_LOCK))) return undefined;
      return deliveryState.reclaimStranded(tx, { pendingAfterMs, retryGraceMs, limit: BATCH });
    });
    if (!found) return undefined;
    await this.deps.producer.publish(
      'dispatch',
      found.pending.map((row) => ({ message: deliveryState.dispatchOfRow(row), traceId: row.trace_id })),
    );
    const retries: Outgoing<'retry'>[] = [];
    for (const row of [...found.retrying, ...found.leaseExpired]) {
      const message: Retry = {
        ...deliveryState.dispatchOfRow(row),
        attempt: row.attempt_number + 1,
        dueAt: new Date().toISOString(),
        lastError: deliveryState.lastErrorOfStranded(row),
        triedProviderIds: [],
      };
      retries.push({ message, traceId: row.trace_id });
    }
    for (const row of found.leaseExpired) await this.inTenant(row, (tx) => deliveryState.recordLeaseExpired(tx, row));
    await this.deps.producer.publish('retry', retries);
    for (const row of found.failed) await this.republishDeadLetter(row);
    const counts = {
      pending: found.pending.length,
      retrying: found.retrying.length,
      leaseExpired: found.leaseExpired.length,
      deadLetters: found.failed.length,
    };
    for (const [kind, n] of Object.entries(counts)) if (n > 0) this.deps.metrics.sweeperActions.inc({ kind }, n);
    if (Object.values(counts).some((n) => n > 0)) this.deps.logger.info(counts, 'sweeper republished stranded notifications');
    return counts;
  }

  private async republishDeadLetter(row: StrandedRow): Promise<void> {
    const letter = await this.inTenant(row, (tx) => deliveryState.deadLetterOfStranded(tx, row));
    await this.deps.producer.publish('dlq', [{ message: letter, traceId: row.trace_id }]);
  }

  private inTenant<T>(row: StrandedRow, fn: (tx: TenantTx) => Promise<T>): Promise<T> {
    return withTenant(this.deps.database, { tenantId: row.tenant_id, actorType: 'system_tenant', actorId: 'sweeper' }, fn);
  }
}
