/** One notification as the inbox API lists it and as a Centrifugo publication carries it (SPEC §2.6). */
export interface InboxNotification {
  id: string;
  title: string;
  body: string;
  category: string;
  eventType: string;
  createdAt: string;
  readAt?: string | null;
  data?: unknown;
}

/** Where the component learned of a notification: the stored list, a live push, or a replay after a reconnect. */
export type InboxSource = 'stored' | 'live' | 'recovered';

export interface InboxEntry extends InboxNotification {
  readAt: string | null;
  source: InboxSource;
}

/**
 * The inbox's state, free of DOM and network: entries by id (a live push and the stored copy of
 * the same notification meet here), the unread count, and the cursor of the next older page.
 */
export class InboxStore {
  private readonly entries = new Map<string, InboxEntry>();
  private unread = 0;
  /** The cursor of the next older page; `null` once the last page was read, `undefined` before the first. */
  nextCursor: string | null | undefined = undefined;

  get unreadCount(): number {
    return this.unread;
  }

  /** Newest first; ties broken by id so the order is stable. */
  list(): InboxEntry[] {
    return [...this.entries.values()].sort((a, b) =>
      a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1,
    );
  }

  get(id: string): InboxEntry | undefined {
    return this.entries.get(id);
  }

  /**
   * The newest stored page and the server's unread count. Live entries the page does not hold
   * yet arrived after the count was taken, so they add to it.
   */
  loadFirstPage(page: InboxNotification[], serverUnread: number, nextCursor: string | null): void {
    const stored = new Set(page.map((item) => item.id));
    const liveOnly = [...this.entries.values()].filter((entry) => !stored.has(entry.id) && entry.readAt === null).length;
    for (const item of page)
      if (!this.entries.has(item.id)) this.entries.set(item.id, { ...item, readAt: item.readAt ?? null, source: 'stored' });
    this.unread = serverUnread + liveOnly;
    this.nextCursor = nextCursor;
  }

  /** An older page: already counted by the server's unread count. */
  appendOlder(page: InboxNotification[], nextCursor: string | null): void {
    for (const item of page)
      if (!this.entries.has(item.id)) this.entries.set(item.id, { ...item, readAt: item.readAt ?? null, source: 'stored' });
    this.nextCursor = nextCursor;
  }

  /** A publication (live or replayed). Returns the new entry, or undefined for one already known. */
  arrived(item: InboxNotification, source: 'live' | 'recovered'): InboxEntry | undefined {
    if (this.entries.has(item.id)) return undefined;
    const entry: InboxEntry = { ...item, readAt: null, source };
    this.entries.set(item.id, entry);
    this.unread += 1;
    return entry;
  }

  markRead(id: string, readAt: string): void {
    const entry = this.entries.get(id);
    if (!entry || entry.readAt !== null) return;
    entry.readAt = readAt;
    this.unread = Math.max(0, this.unread - 1);
  }

  markAllRead(readAt: string): void {
    for (const entry of this.entries.values()) entry.readAt ??= readAt;
    this.unread = 0;
  }
}
