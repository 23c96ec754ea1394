import type { AcceptedSend, FakeVendorServer } from '@orqestra/providers';
import { withTenant, type Database } from '@orqestra/db';

/**
 * What the vendor fakes delivered and what the instance's database recorded, per marker. A marker
 * is an event's id and also the local part of its unique recipient address, so a send at a fake is
 * traced back to its event without trusting Orqestra's own bookkeeping.
 */
export type VendorKind = 'resend' | 'sendgrid';

/** The recipient addresses of a send, in either vendor's wire format. */
function recipientsOf(kind: VendorKind, send: AcceptedSend): string[] {
  const body = send.body as Record<string, unknown>;
  if (kind === 'resend') {
    const to = body.to;
    return (Array.isArray(to) ? to : [to]).filter((v): v is string => typeof v === 'string').map((v) => /<([^>]*)>\s*$/.exec(v)?.[1] ?? v);
  }
  const personalizations = Array.isArray(body.personalizations) ? (body.personalizations as { to?: { email?: unknown }[] }[]) : [];
  return personalizations.flatMap((p) => (p.to ?? []).map((t) => t.email)).filter((v): v is string => typeof v === 'string');
}

export interface Deliveries {
  /** marker → how many sends the vendor would deliver. */
  count: Map<string, number>;
  /** Time of the last delivery of any of these markers. */
  lastAt: number | undefined;
  total: number;
}

/** Sends of markers starting with `prefix` that the vendor would deliver (Resend's idempotent replays are not in `accepted`). */
export function deliveries(kind: VendorKind, fake: FakeVendorServer, prefix: string): Deliveries {
  const count = new Map<string, number>();
  let lastAt: number | undefined;
  let total = 0;
  for (const send of fake.accepted) {
    for (const address of recipientsOf(kind, send)) {
      const marker = address.slice(0, address.indexOf('@'));
      if (!marker.startsWith(prefix)) continue;
      count.set(marker, (count.get(marker) ?? 0) + 1);
      total += 1;
      lastAt = Math.max(lastAt ?? 0, send.at.getTime());
    }
  }
  return { count, lastAt, total };
}

export const TERMINAL = new Set(['SENT', 'FAILED', 'DELIVERED', 'BOUNCED']);

export interface LogRow {
  id: string;
  eventId: string;
  channel: string;
  status: string;
}

const context = (tenantId: string) => ({ tenantId, actorType: 'system_tenant' as const, actorId: 'fault-matrix' });

/** The delivery log rows of the tenant's events whose id starts with `prefix`. */
export async function logRows(database: Database, tenantId: string, prefix: string): Promise<LogRow[]> {
  const rows = await withTenant(database, context(tenantId), (tx) =>
    tx.db
      .selectFrom('notification_logs')
      .select(['id', 'event_id', 'channel', 'status'])
      .where('tenant_id', '=', tenantId)
      .where('event_id', 'like', `${prefix}%`)
      .execute(),
  );
  return rows.map((r) => ({ id: r.id, eventId: r.event_id, channel: r.channel, status: r.status }));
}

/** notification id → how many of its attempts were recorded as ambiguous (the vendor may have sent). */
export async function ambiguousAttempts(database: Database, tenantId: string, notificationIds: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (notificationIds.length === 0) return out;
  const rows = await withTenant(database, context(tenantId), (tx) =>
    tx.db
      .selectFrom('notification_attempts')
      .select(['notification_id'])
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('tenant_id', '=', tenantId)
      .where('ambiguous', '=', true)
      .where('notification_id', 'in', notificationIds)
      .groupBy('notification_id')
      .execute(),
  );
  for (const row of rows) out.set(row.notification_id, Number(row.n));
  return out;
}
