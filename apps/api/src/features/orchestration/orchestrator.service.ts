import { CHANNELS, type Channel, type DeliveryCode, type Dispatch, type ErrorCode, type EventReceived } from '@orqestra/contracts';
import type { Outgoing } from '@orqestra/bus';
import { deliveryState, withTenant, type Database, type TenantTx } from '@orqestra/db';
import { groupByTenant, isPermanentDbError } from '../../platform/tenant-groups.js';
import { localeChain } from '../templates/engine/locale-chain.js';
import { findActiveTemplates } from '../templates/template.repository.js';
import type { TemplateRenderer } from '../templates/engine/template.renderer.js';
import type { RenderedContent } from '../templates/engine/template.types.js';
import { REJECTED_OUTCOME_KEY, type EventRejection } from './event-rejection.js';

type Skip = Extract<ErrorCode, 'NO_ACTIVE_TEMPLATE' | 'CHANNEL_NOT_ALLOWED'>;
export type ChannelOutcome = { notificationId: string } | { skipped: Skip };

/** Where a channel's recipient comes from; PUSH needs only the userId every event has. */
const RECIPIENT_FIELD: Record<Channel, 'recipientEmail' | 'recipientPhone' | null> = { EMAIL: 'recipientEmail', SMS: 'recipientPhone', PUSH: null };

/** A render the machine slowed down: not a database error, so the consumer retries the batch later. */
export class RenderRetryLater extends Error {
  override name = 'RenderRetryLater';
}

export interface OrchestrationResult {
  /** What to publish on notification.dispatch once the transaction committed. */
  dispatches: Outgoing<'dispatch'>[];
  outcome: 'processed' | 'redelivered' | 'duplicate_event_id';
}

export interface BatchResult {
  dispatches: Outgoing<'dispatch'>[];
  outcomes: Record<OrchestrationResult['outcome'] | 'rejected', number>;
}

/** The tenant's settings the orchestration reads, loaded once per tenant group of a batch. */
type TenantSettings = () => Promise<{ delivery_channels: string[]; default_locale: string }>;

/**
 * SPEC §3 step 2: one accepted event → an `events` row with its per-channel outcome, and one
 * `notification_logs` row per channel that has an active template (PENDING with the rendered
 * content, or FAILED with MISSING_RECIPIENT / a template error), written in the tenant's
 * transaction for its part of the fetched batch. The caller publishes the returned dispatches after the commit and commits
 * the Kafka offset after that, so a crash anywhere replays the event — and the unique keys on
 * (tenant, mode, eventId[, channel]) turn the replay into republishing rows still PENDING.
 */
export class Orchestrator {
  constructor(
    private readonly database: Database,
    private readonly renderer: TemplateRenderer,
  ) {}

  /**
   * A fetched batch: grouped by tenant, one transaction per tenant with the tenant context set
   * first. When a group fails for good (a data or integrity error), one event must not cost its
   * neighbours: the group is retried one event at a time, and only the events that still fail are
   * parked (recorded as rejected, see event-rejection.ts) and reported. Any other failure rejects,
   * and the caller retries the batch (every step is idempotent).
   */
  async processBatch(events: readonly EventReceived[], onRejected: (event: EventReceived, error: unknown) => void): Promise<BatchResult> {
    const result: BatchResult = { dispatches: [], outcomes: { processed: 0, redelivered: 0, duplicate_event_id: 0, rejected: 0 } };
    const collect = (done: OrchestrationResult[]) => {
      for (const r of done) {
        result.dispatches.push(...r.dispatches);
        result.outcomes[r.outcome]++;
      }
    };
    for (const [tenantId, group] of groupByTenant(events)) {
      try {
        collect(await this.processGroup(tenantId, group));
      } catch (error) {
        if (!isPermanentDbError(error)) throw error;
        for (const event of group) {
          try {
            if (group.length === 1) throw error; // already tried on its own
            collect(await this.processGroup(tenantId, [event]));
          } catch (eventError) {
            if (!isPermanentDbError(eventError)) throw eventError;
            await this.park(event, eventError);
            onRejected(event, eventError);
            result.outcomes.rejected++;
          }
        }
      }
    }
    return result;
  }

  private processGroup(tenantId: string, group: readonly EventReceived[]): Promise<OrchestrationResult[]> {
    return withTenant(this.database, { tenantId, actorType: 'system_tenant', actorId: 'worker' }, async (tx) => {
      let loaded: Awaited<ReturnType<TenantSettings>> | undefined;
      const settings: TenantSettings = async () =>
        (loaded ??= await tx.db.selectFrom('tenants').select(['delivery_channels', 'default_locale']).where('id', '=', tx.tenantId).executeTakeFirstOrThrow());
      const results: OrchestrationResult[] = [];
      for (const event of group) results.push(await this.processOne(tx, event, settings));
      return results;
    });
  }

  /**
   * Records an event that cannot be stored as it is: its status reads FAILED / EVENT_DATA_INVALID.
   * Only the fields that identify it are kept. When even those cannot be stored (an unknown
   * tenant, an eventId PostgreSQL refuses) there is nothing a client could ask for: reported only.
   */
  private async park(event: EventReceived, error: unknown): Promise<void> {
    const sqlState = String((error as { code?: unknown }).code ?? '');
    const rejection: EventRejection = { code: 'EVENT_DATA_INVALID', message: `PostgreSQL refused the event's data (SQLSTATE ${sqlState}): no channel was delivered` };
    try {
      await withTenant(this.database, { tenantId: event.tenantId, actorType: 'system_tenant', actorId: 'worker' }, (tx) =>
        tx.db
          .insertInto('events')
          .values({
            tenant_id: event.tenantId,
            mode: event.mode,
            event_id: event.eventId,
            event_type: event.eventType,
            trace_id: event.traceId,
            received_at: new Date(event.receivedAt),
            status: 'processed',
            processed_at: new Date(),
            channel_outcomes: JSON.stringify({ [REJECTED_OUTCOME_KEY]: rejection }),
          })
          .onConflict((oc) => oc.constraint('events_identity_key').doNothing())
          .execute(),
      );
    } catch (parkError) {
      if (!isPermanentDbError(parkError)) throw parkError;
    }
  }

  private async processOne(tx: TenantTx, event: EventReceived, settings: TenantSettings): Promise<OrchestrationResult> {
    const inserted = await tx.db
      .insertInto('events')
      .values({
        tenant_id: event.tenantId,
        mode: event.mode,
        event_id: event.eventId,
        event_type: event.eventType,
        sandbox_session_id: event.sandboxSessionId ?? null,
        requested_channels: event.channels ?? null,
        locale: event.locale ?? null,
        trace_id: event.traceId,
        received_at: new Date(event.receivedAt),
      })
      .onConflict((oc) => oc.constraint('events_identity_key').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) return this.alreadySeen(tx, event);
    return this.orchestrate(tx, event, await settings());
  }

  private async orchestrate(tx: TenantTx, event: EventReceived, tenant: Awaited<ReturnType<TenantSettings>>): Promise<OrchestrationResult> {
    const allowed = new Set(tenant.delivery_channels as Channel[]);
    const considered = event.channels ?? [...CHANNELS];
    const outcomes: Partial<Record<Channel, ChannelOutcome>> = {};
    const candidates: Channel[] = [];
    for (const channel of considered) {
      if (allowed.has(channel)) candidates.push(channel);
      else outcomes[channel] = { skipped: 'CHANNEL_NOT_ALLOWED' };
    }
    const templates = await findActiveTemplates(tx, event.eventType, candidates, localeChain(event.locale, tenant.default_locale));
    const dispatches: Outgoing<'dispatch'>[] = [];
    for (const channel of candidates) {
      const template = templates.get(channel);
      if (!template) {
        outcomes[channel] = { skipped: 'NO_ACTIVE_TEMPLATE' };
        continue;
      }
      const field = RECIPIENT_FIELD[channel];
      const recipient = field ? (event.payload[field] as string | undefined) : undefined;
      let content: RenderedContent | undefined;
      let failure: { code: DeliveryCode; message: string } | undefined;
      if (field && !recipient) {
        failure = { code: 'MISSING_RECIPIENT', message: `payload.${field} is required for ${channel}` };
      } else {
        const rendered = this.renderer.render(template, { payload: event.payload, variables: event.variables, locale: event.locale ?? tenant.default_locale });
        if (rendered.ok) content = rendered.content;
        // A budget overrun that may be the machine's fails the batch (retried with back-off), not the notification.
        else if (rendered.retryable) throw new RenderRetryLater(rendered.error.message);
        else failure = { code: rendered.error.code, message: rendered.error.message };
      }
      const notificationId = await deliveryState.createNotification(tx, {
        mode: event.mode,
        sandboxSessionId: event.sandboxSessionId ?? null,
        eventId: event.eventId,
        eventType: event.eventType,
        channel,
        userId: event.payload.userId,
        recipient: recipient ?? null,
        templateVersionId: template.id,
        content: content ?? null,
        failure,
        traceId: event.traceId,
        receivedAt: new Date(event.receivedAt),
      });
      if (!notificationId) continue;
      outcomes[channel] = { notificationId };
      if (content) dispatches.push(dispatchOf(event, channel, notificationId, recipient, content));
    }
    await tx.db
      .updateTable('events')
      .set({ channel_outcomes: JSON.stringify(outcomes), status: 'processed', processed_at: new Date() })
      .where('tenant_id', '=', tx.tenantId)
      .where('mode', '=', event.mode)
      .where('event_id', '=', event.eventId)
      .execute();
    return { dispatches, outcome: 'processed' };
  }

  /**
   * The events row exists. The same accepted event delivered again (same acceptance time):
   * republish its rows still PENDING (the gateway's claim makes that harmless). An eventId
   * reused after the idempotency window: counted on the record (DUPLICATE_EVENT_ID), not delivered.
   */
  private async alreadySeen(tx: TenantTx, event: EventReceived): Promise<OrchestrationResult> {
    const existing = await tx.db
      .selectFrom('events')
      .select(['received_at', 'trace_id'])
      .where('tenant_id', '=', tx.tenantId)
      .where('mode', '=', event.mode)
      .where('event_id', '=', event.eventId)
      .executeTakeFirstOrThrow();
    if (existing.received_at.getTime() !== new Date(event.receivedAt).getTime() || existing.trace_id !== event.traceId) {
      await tx.db
        .updateTable('events')
        .set((eb) => ({ duplicates: eb('duplicates', '+', 1), last_duplicate_at: new Date() }))
        .where('tenant_id', '=', tx.tenantId)
        .where('mode', '=', event.mode)
        .where('event_id', '=', event.eventId)
        .execute();
      return { dispatches: [], outcome: 'duplicate_event_id' };
    }
    const pending = await tx.db
      .selectFrom('notification_logs')
      .select(['id', 'channel', 'recipient', 'content'])
      .where('tenant_id', '=', tx.tenantId)
      .where('mode', '=', event.mode)
      .where('event_id', '=', event.eventId)
      .where('status', '=', 'PENDING')
      .execute();
    const dispatches = pending
      .filter((row) => row.content !== null)
      .map((row) => dispatchOf(event, row.channel as Channel, row.id, row.recipient ?? undefined, row.content as RenderedContent));
    return { dispatches, outcome: 'redelivered' };
  }
}

function dispatchOf(event: EventReceived, channel: Channel, notificationId: string, recipient: string | undefined, content: RenderedContent): Outgoing<'dispatch'> {
  const message: Dispatch = {
    v: 1,
    notificationId,
    attemptSeries: 1,
    tenantId: event.tenantId,
    mode: event.mode,
    isTest: false,
    eventId: event.eventId,
    eventType: event.eventType,
    channel,
    recipient: {
      userId: event.payload.userId,
      ...(channel === 'EMAIL' && recipient ? { email: recipient } : {}),
      ...(channel === 'SMS' && recipient ? { phone: recipient } : {}),
    },
    content,
    traceId: event.traceId,
    receivedAt: event.receivedAt,
  };
  return { message, traceId: event.traceId };
}
