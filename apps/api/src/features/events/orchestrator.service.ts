import { CHANNELS, type Channel, type DeliveryCode, type Dispatch, type ErrorCode, type EventReceived } from '@orqestra/contracts';
import type { Outgoing } from '@orqestra/bus';
import { deliveryState, withTenant, type Database, type NewNotification, type TenantTx } from '@orqestra/db';
import { dispositionOf, groupByTenant } from '../../platform/consumer-batch.js';
import { localeChain } from '../templates/engine/locale-chain.js';
import { findActiveTemplates, type ActiveTemplate } from '../templates/template.repository.js';
import type { TemplateRenderer } from '../templates/engine/template.renderer.js';
import type { RenderedContent } from '../templates/engine/template.types.js';
import { REJECTED_OUTCOME_KEY, type EventRejection } from './event-rejection.js';
import {
  countDuplicate,
  eventKey,
  insertEvents,
  insertParkedEvent,
  pendingNotifications,
  recordOutcomes,
  storedEvent,
  tenantSettings,
  type TenantSettings,
} from './orchestrator.repository.js';

type Skip = Extract<ErrorCode, 'NO_ACTIVE_TEMPLATE' | 'CHANNEL_NOT_ALLOWED'>;
export type ChannelOutcome = { notificationId: string } | { skipped: Skip };

/** Where a channel's recipient comes from; PUSH needs only the userId every event has. */
const RECIPIENT_FIELD: Record<Channel, 'recipientEmail' | 'recipientPhone' | null> = {
  EMAIL: 'recipientEmail',
  SMS: 'recipientPhone',
  PUSH: null,
};

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

/**
 * SPEC §3 step 2: one accepted event → an `events` row with its per-channel outcome, and one
 * `notification_logs` row per channel that has an active template (PENDING with the rendered
 * content, or FAILED with MISSING_RECIPIENT / a template error), written in the tenant's
 * transaction for its part of the fetched batch. The caller publishes the returned dispatches after the commit and commits
 * the Kafka offset after that, so a crash anywhere replays the event — and the unique keys on
 * (tenant, mode, eventId[, channel]) turn the replay into republishing rows still PENDING.
 */
export class OrchestratorService {
  constructor(
    private readonly database: Database,
    private readonly renderer: TemplateRenderer,
  ) {}

  /**
   * A fetched batch: grouped by tenant, one transaction per tenant with the tenant context set
   * first. When a group fails for good (a data or integrity error: its statements take every event
   * of the group at once, so one refused value fails them all), one event must not cost its
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
        if (dispositionOf(error) !== 'skip') throw error;
        for (const event of group) {
          try {
            if (group.length === 1) throw error; // already tried on its own
            collect(await this.processGroup(tenantId, [event]));
          } catch (eventError) {
            if (dispositionOf(eventError) !== 'skip') throw eventError;
            await this.park(event, eventError);
            onRejected(event, eventError);
            result.outcomes.rejected++;
          }
        }
      }
    }
    return result;
  }

  /**
   * One tenant group in one transaction, batch-shaped (issue 10): one INSERT of the group's
   * events, the template look-ups once per distinct (event type, channels, locale chain), one
   * INSERT of the notification rows and one UPDATE of the events' outcomes, whatever the group's
   * size. An event seen before (a redelivery, or an eventId reused) takes the per-event path,
   * after the new ones, so a repeat within the batch sees the rows its first copy created.
   * Results are in the group's order.
   */
  private processGroup(tenantId: string, group: readonly EventReceived[]): Promise<OrchestrationResult[]> {
    return withTenant(this.database, { tenantId, actorType: 'system_tenant', actorId: 'worker' }, async (tx) => {
      // Only the first copy of an (mode, eventId) is offered for insertion; later copies are repeats.
      const first = new Map<string, number>();
      group.forEach((event, index) => {
        const key = eventKey(event.mode, event.eventId);
        if (!first.has(key)) first.set(key, index);
      });
      const inserted = await insertEvents(
        tx,
        [...first.values()].map((index) => group[index]!),
      );
      const isNew = group.map((event, index) => {
        const key = eventKey(event.mode, event.eventId);
        return first.get(key) === index && inserted.has(key);
      });
      const results: OrchestrationResult[] = new Array(group.length);
      const fresh = group.flatMap((event, index) => (isNew[index] ? [{ event, index }] : []));
      if (fresh.length > 0) {
        const done = await this.orchestrate(
          tx,
          fresh.map((f) => ({ event: f.event, rowId: inserted.get(eventKey(f.event.mode, f.event.eventId))! })),
          await tenantSettings(tx),
        );
        fresh.forEach((f, i) => (results[f.index] = done[i]!));
      }
      for (const [index, event] of group.entries()) if (!isNew[index]) results[index] = await this.alreadySeen(tx, event);
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
    const rejection: EventRejection = {
      code: 'EVENT_DATA_INVALID',
      message: `PostgreSQL refused the event's data (SQLSTATE ${sqlState}): no channel was delivered`,
    };
    try {
      await withTenant(this.database, { tenantId: event.tenantId, actorType: 'system_tenant', actorId: 'worker' }, (tx) =>
        insertParkedEvent(tx, event, { [REJECTED_OUTCOME_KEY]: rejection }),
      );
    } catch (parkError) {
      if (dispositionOf(parkError) !== 'skip') throw parkError;
    }
  }

  /** New events (their rows just inserted): channels, templates, rendering, one notification row per channel, outcomes. */
  private async orchestrate(
    tx: TenantTx,
    events: readonly { event: EventReceived; rowId: string }[],
    tenant: TenantSettings,
  ): Promise<OrchestrationResult[]> {
    const allowed = new Set(tenant.delivery_channels as Channel[]);
    const lookups = new Map<string, Map<Channel, ActiveTemplate>>();
    const planned = [];
    for (const { event, rowId } of events) {
      const considered = event.channels ?? [...CHANNELS];
      const outcomes: Partial<Record<Channel, ChannelOutcome>> = {};
      const candidates: Channel[] = [];
      for (const channel of considered) {
        if (allowed.has(channel)) candidates.push(channel);
        else outcomes[channel] = { skipped: 'CHANNEL_NOT_ALLOWED' };
      }
      const chain = localeChain(event.locale, tenant.default_locale);
      const lookup = JSON.stringify([event.eventType, candidates, chain]);
      let templates = lookups.get(lookup);
      if (!templates) lookups.set(lookup, (templates = await findActiveTemplates(tx, event.eventType, candidates, chain)));
      planned.push({ event, rowId, outcomes, candidates, templates, dispatches: [] as Outgoing<'dispatch'>[] });
    }
    // Every channel's row, in the order of the events and of their channels.
    const rows: {
      plan: (typeof planned)[number];
      channel: Channel;
      recipient: string | undefined;
      content: RenderedContent | undefined;
    }[] = [];
    const inputs: NewNotification[] = [];
    for (const plan of planned) {
      const { event } = plan;
      for (const channel of plan.candidates) {
        const template = plan.templates.get(channel);
        if (!template) {
          plan.outcomes[channel] = { skipped: 'NO_ACTIVE_TEMPLATE' };
          continue;
        }
        const field = RECIPIENT_FIELD[channel];
        const recipient = field ? (event.payload[field] as string | undefined) : undefined;
        let content: RenderedContent | undefined;
        let failure: { code: DeliveryCode; message: string } | undefined;
        if (field && !recipient) {
          failure = { code: 'MISSING_RECIPIENT', message: `payload.${field} is required for ${channel}` };
        } else {
          const rendered = this.renderer.render(template, {
            payload: event.payload,
            variables: event.variables,
            locale: event.locale ?? tenant.default_locale,
          });
          if (rendered.ok) content = rendered.content;
          // A budget overrun that may be the machine's fails the batch (retried with back-off), not the notification.
          else if (rendered.retryable) throw new RenderRetryLater(rendered.error.message);
          else failure = { code: rendered.error.code, message: rendered.error.message };
        }
        rows.push({ plan, channel, recipient, content });
        inputs.push({
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
      }
    }
    const ids = await deliveryState.createNotifications(tx, inputs);
    rows.forEach(({ plan, channel, recipient, content }, i) => {
      const notificationId = ids[i];
      if (!notificationId) return; // the row existed already: no outcome recorded for it, as before
      plan.outcomes[channel] = { notificationId };
      if (content) plan.dispatches.push(dispatchMessage(plan.event, channel, notificationId, recipient, content));
    });
    await recordOutcomes(
      tx,
      planned.map(({ rowId, outcomes }) => ({ id: rowId, outcomes })),
      new Date(),
    );
    return planned.map(({ dispatches }) => ({ dispatches, outcome: 'processed' }));
  }

  /**
   * The events row exists. The same accepted event delivered again (same acceptance time):
   * republish its rows still PENDING (the gateway's claim makes that harmless). An eventId
   * reused after the idempotency window: counted on the record (DUPLICATE_EVENT_ID), not delivered.
   */
  private async alreadySeen(tx: TenantTx, event: EventReceived): Promise<OrchestrationResult> {
    const existing = await storedEvent(tx, event.mode, event.eventId);
    if (existing.received_at.getTime() !== new Date(event.receivedAt).getTime() || existing.trace_id !== event.traceId) {
      await countDuplicate(tx, event.mode, event.eventId);
      return { dispatches: [], outcome: 'duplicate_event_id' };
    }
    const pending = await pendingNotifications(tx, event.mode, event.eventId);
    const dispatches = pending
      .filter((row) => row.content !== null)
      .map((row) => dispatchMessage(event, row.channel as Channel, row.id, row.recipient ?? undefined, row.content as RenderedContent));
    return { dispatches, outcome: 'redelivered' };
  }
}

function dispatchMessage(
  event: EventReceived,
  channel: Channel,
  notificationId: string,
  recipient: string | undefined,
  content: RenderedContent,
): Outgoing<'dispatch'> {
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
