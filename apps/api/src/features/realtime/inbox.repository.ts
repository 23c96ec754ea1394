import { sql } from 'kysely';
import type { TenantTx } from '@orqestra/db';

export interface InboxItem {
  id: string;
  title: string;
  body: string;
  category: string;
  eventType: string;
  data: unknown;
  createdAt: Date;
  readAt: Date | null;
}

export interface InboxPosition {
  createdAt: Date;
  id: string;
}

/** One user's in-app notifications (SPEC §2.5), inside a tenant-scoped transaction. */
export const inboxRepository = {
  async tenantStatus(tx: TenantTx): Promise<string | undefined> {
    const row = await tx.db.selectFrom('tenants').select('status').where('id', '=', tx.tenantId).executeTakeFirst();
    return row?.status;
  },

  /** Newest first; `after` is the last item of the previous page. */
  async list(tx: TenantTx, userId: string, options: { unreadOnly: boolean; after?: InboxPosition; limit: number }): Promise<InboxItem[]> {
    let query = tx.db
      .selectFrom('in_app_notifications')
      .select(['id', 'title', 'body', 'category', 'event_type', 'data', 'created_at', 'read_at'])
      .where('tenant_id', '=', tx.tenantId)
      .where('user_id', '=', userId);
    if (options.unreadOnly) query = query.where('read_at', 'is', null);
    if (options.after) {
      const { createdAt, id } = options.after;
      query = query.where(sql<boolean>`(created_at, id) < (${createdAt}, ${id}::uuid)`);
    }
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit).execute();
    return rows.map((row) => ({
      id: row.id,
      title: row.title,
      body: row.body,
      category: row.category,
      eventType: row.event_type,
      data: row.data,
      createdAt: row.created_at,
      readAt: row.read_at,
    }));
  },

  async unreadCount(tx: TenantTx, userId: string): Promise<number> {
    const row = await tx.db
      .selectFrom('in_app_notifications')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('tenant_id', '=', tx.tenantId)
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  },

  /** Marks one item read (keeping the first read time); undefined when the user has no such item. */
  async markRead(tx: TenantTx, userId: string, id: string, now: Date): Promise<Date | undefined> {
    const row = await tx.db
      .updateTable('in_app_notifications')
      .set({ read_at: sql<Date>`coalesce(read_at, ${now})` })
      .where('tenant_id', '=', tx.tenantId)
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .returning('read_at')
      .executeTakeFirst();
    return row?.read_at ?? undefined;
  },

  async markAllRead(tx: TenantTx, userId: string, now: Date): Promise<number> {
    const result = await tx.db
      .updateTable('in_app_notifications')
      .set({ read_at: now })
      .where('tenant_id', '=', tx.tenantId)
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  },
};
