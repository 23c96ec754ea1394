import { Inject, Injectable } from '@nestjs/common';
import { withTenant, type Database, type TenantTx } from '@orqestra/db';
import { AppError } from '../../platform/errors.js';
import { CLOCK, DATABASE, type Clock } from '../../platform/tokens.js';
import type { InboxOwner } from './inbox.guard.js';
import { inboxRepository, type InboxItem, type InboxPosition } from './inbox.repository.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The inbox of one tenant's user: list, unread count, mark read (SPEC §2.5). */
@Injectable()
export class InboxService {
  constructor(
    @Inject(DATABASE) private readonly database: Database,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(owner: InboxOwner, query: { status: 'unread' | 'all'; cursor?: string; limit: number }) {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    // One extra row tells whether a next page exists.
    const rows = await this.run(owner, (tx) =>
      inboxRepository.list(tx, owner.userId, { unreadOnly: query.status === 'unread', after, limit: query.limit + 1 }),
    );
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      success: true as const,
      data: page.map(toPublicItem),
      pagination: { limit: query.limit, nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null },
    };
  }

  async unreadCount(owner: InboxOwner) {
    return { success: true as const, unreadCount: await this.run(owner, (tx) => inboxRepository.unreadCount(tx, owner.userId)) };
  }

  async markRead(owner: InboxOwner, id: string) {
    const readAt = UUID.test(id)
      ? await this.run(owner, (tx) => inboxRepository.markRead(tx, owner.userId, id, this.clock.now()))
      : undefined;
    if (!readAt) throw new AppError('NOT_FOUND', { message: 'No such notification in this inbox' });
    return { success: true as const, id, readAt: readAt.toISOString() };
  }

  async markAllRead(owner: InboxOwner) {
    return {
      success: true as const,
      updated: await this.run(owner, (tx) => inboxRepository.markAllRead(tx, owner.userId, this.clock.now())),
    };
  }

  /** A transaction in the owner's tenant; a token outlives a suspension, so the tenant is checked each time. */
  private run<T>(owner: InboxOwner, fn: (tx: TenantTx) => Promise<T>): Promise<T> {
    return withTenant(this.database, { tenantId: owner.tenantId, actorType: owner.actor.type, actorId: owner.actor.id }, async (tx) => {
      const status = await inboxRepository.tenantStatus(tx);
      if (status === 'suspended') throw new AppError('TENANT_SUSPENDED');
      if (status !== 'active') throw new AppError('UNAUTHENTICATED', { message: 'Missing, invalid or expired realtime token' });
      return fn(tx);
    });
  }
}

/** What a browser sees: the publication's fields (SPEC §2.6) plus readAt. */
function toPublicItem(item: InboxItem) {
  return {
    id: item.id,
    title: item.title,
    body: item.body,
    category: item.category,
    eventType: item.eventType,
    createdAt: item.createdAt.toISOString(),
    readAt: item.readAt?.toISOString() ?? null,
    ...(item.data === null || item.data === undefined ? {} : { data: item.data }),
  };
}

function encodeCursor(item: InboxPosition): string {
  return Buffer.from(`${item.createdAt.toISOString()}|${item.id}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): InboxPosition {
  const [time, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(time ?? '');
  if (!id || !UUID.test(id) || Number.isNaN(createdAt.getTime())) {
    throw new AppError('VALIDATION_FAILED', { details: [{ path: 'cursor', message: 'is not a cursor this API returned' }] });
  }
  return { createdAt, id };
}
