import { sql } from 'kysely';
import type { Channel } from '@orqestra/contracts';
import type { OperatorTx, TenantTx } from '@orqestra/db';
import { AppError } from '../../platform/errors.js';

export interface LogFilter {
  /** Required inside a tenant; optional for an operator reading across tenants. */
  tenantId?: string;
  status?: 'PENDING' | 'SENDING' | 'SENT' | 'RETRYING' | 'FAILED' | 'DELIVERED' | 'BOUNCED';
  channel?: Channel;
  eventType?: string;
  eventId?: string;
  recipient?: string;
  traceId?: string;
  mode?: 'live' | 'sandbox';
  isTest?: boolean;
  from?: Date;
  to?: Date;
}

/** Position after the last row of a page: its creation time (microseconds, as text) and id. */
interface Cursor {
  t: string;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeCursor(value: string): Cursor {
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Partial<Cursor>;
    if (
      typeof parsed.t === 'string' &&
      /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(parsed.t) &&
      typeof parsed.id === 'string' &&
      /^[0-9a-f-]{36}$/i.test(parsed.id)
    ) {
      return { t: parsed.t, id: parsed.id };
    }
  } catch {
    // fall through
  }
  throw new AppError('VALIDATION_FAILED', { details: [{ path: 'query.cursor', message: 'not a cursor this API returned' }] });
}

/** created_at with its microseconds (a JS Date would drop them and a page could repeat or skip rows). */
const createdText = sql<string>`to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const LOG_COLUMNS = [
  'id',
  'tenant_id',
  'mode',
  'is_test',
  'event_id',
  'event_type',
  'channel',
  'user_id',
  'recipient',
  'status',
  'attempt_series',
  'attempt_number',
  'next_attempt_at',
  'provider',
  'vendor_message_id',
  'last_error_code',
  'last_error_message',
  'trace_id',
  'received_at',
  'created_at',
  'updated_at',
  'sent_at',
] as const;

/**
 * Notification logs newest first, keyset-paginated on (created_at, id) — the list index. Inside a
 * tenant RLS confines the rows; the explicit tenant filter keeps the index usable.
 */
export async function listLogs(tx: TenantTx | OperatorTx, filter: LogFilter, page: { limit: number; cursor?: string }) {
  let query = tx.db.selectFrom('notification_logs').select([...LOG_COLUMNS, createdText.as('cursor_ts')]);
  if (filter.tenantId) query = query.where('tenant_id', '=', filter.tenantId);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.channel) query = query.where('channel', '=', filter.channel);
  if (filter.eventType) query = query.where('event_type', '=', filter.eventType);
  if (filter.eventId) query = query.where('event_id', '=', filter.eventId);
  if (filter.recipient) query = query.where('recipient', '=', filter.recipient);
  if (filter.traceId) query = query.where('trace_id', '=', filter.traceId);
  if (filter.mode) query = query.where('mode', '=', filter.mode);
  if (filter.isTest !== undefined) query = query.where('is_test', '=', filter.isTest);
  if (filter.from) query = query.where('created_at', '>=', filter.from);
  if (filter.to) query = query.where('created_at', '<', filter.to);
  if (page.cursor) {
    const c = decodeCursor(page.cursor);
    query = query.where(sql<boolean>`(created_at, id) < (${c.t}::timestamptz, ${c.id}::uuid)`);
  }
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute();
  const more = rows.length > page.limit;
  const pageRows = more ? rows.slice(0, page.limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return { rows: pageRows, nextCursor: more && last ? encodeCursor({ t: last.cursor_ts, id: last.id }) : null };
}

/** One log with its attempt timeline (every series, in order). */
export async function findLog(tx: TenantTx | OperatorTx, id: string, tenantId?: string) {
  let query = tx.db
    .selectFrom('notification_logs')
    .select([...LOG_COLUMNS, 'content', 'template_version_id'])
    .where('id', '=', id);
  if (tenantId) query = query.where('tenant_id', '=', tenantId);
  const log = await query.executeTakeFirst();
  if (!log) return undefined;
  const attempts = await tx.db
    .selectFrom('notification_attempts')
    .selectAll()
    .where('tenant_id', '=', log.tenant_id)
    .where('notification_id', '=', id)
    .orderBy('attempt_series')
    .orderBy('attempt_number')
    .orderBy('started_at')
    .execute();
  return { log, attempts };
}

export type LogRow = Awaited<ReturnType<typeof listLogs>>['rows'][number];
export type LogDetail = NonNullable<Awaited<ReturnType<typeof findLog>>>;

// The tenant's events (the console's Events page: what each trigger became, per channel).

export interface EventFilter {
  eventType?: string;
  status?: 'processing' | 'processed';
  mode?: 'live' | 'sandbox';
  from?: Date;
  to?: Date;
}

/** The tenant's processed events, newest first (page pagination). */
export async function listEvents(tx: TenantTx | OperatorTx, tenantId: string, filter: EventFilter, page: { page: number; limit: number }) {
  let query = tx.db.selectFrom('events').where('tenant_id', '=', tenantId);
  if (filter.eventType) query = query.where('event_type', '=', filter.eventType);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.mode) query = query.where('mode', '=', filter.mode);
  if (filter.from) query = query.where('received_at', '>=', filter.from);
  if (filter.to) query = query.where('received_at', '<', filter.to);
  const total = Number((await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
  const rows = await query
    .selectAll()
    .orderBy('received_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit)
    .offset((page.page - 1) * page.limit)
    .execute();
  return { rows, total };
}

/** Per-channel statuses of a page's events, in one query (the tenant's logs of those event ids). */
export function eventLogStatuses(tx: TenantTx, eventIds: string[]) {
  return tx.db
    .selectFrom('notification_logs')
    .select(['id', 'mode', 'event_id', 'channel', 'status', 'last_error_code'])
    .where('tenant_id', '=', tx.tenantId)
    .where('event_id', 'in', eventIds)
    .execute();
}

export type EventRow = Awaited<ReturnType<typeof listEvents>>['rows'][number];
