import { describe, expect, it } from 'vitest';
import { InboxStore, type InboxNotification } from './inbox-store.js';

const note = (id: string, createdAt: string, readAt: string | null = null): InboxNotification => ({
  id,
  title: id,
  body: '',
  category: 'info',
  eventType: 'e',
  createdAt,
  readAt,
});

describe('InboxStore', () => {
  it('counts a live push that the stored page does not hold yet on top of the server’s count', () => {
    const store = new InboxStore();
    store.arrived(note('live', '2026-12-03T10:00:02Z'), 'live');
    store.loadFirstPage([note('a', '2026-12-03T10:00:00Z'), note('b', '2026-12-03T10:00:01Z', '2026-12-03T11:00:00Z')], 1, null);
    expect(store.unreadCount).toBe(2);
    expect(store.list().map((e) => [e.id, e.source])).toEqual([
      ['live', 'live'],
      ['b', 'stored'],
      ['a', 'stored'],
    ]);
  });

  it('keeps one entry when the live and the stored copy of a notification meet, counted once', () => {
    const store = new InboxStore();
    store.arrived(note('x', '2026-12-03T10:00:00Z'), 'live');
    store.loadFirstPage([note('x', '2026-12-03T10:00:00Z')], 1, null);
    expect(store.arrived(note('x', '2026-12-03T10:00:00Z'), 'recovered')).toBeUndefined();
    expect(store.list()).toHaveLength(1);
    expect(store.unreadCount).toBe(1);
  });

  it('marks read once, marks all read, and appends older pages without recounting', () => {
    const store = new InboxStore();
    store.loadFirstPage([note('b', '2026-12-03T10:00:01Z'), note('a', '2026-12-03T10:00:00Z')], 3, 'cursor-1');
    store.markRead('a', 'T1');
    store.markRead('a', 'T2');
    expect(store.get('a')?.readAt).toBe('T1');
    expect(store.unreadCount).toBe(2);
    store.appendOlder([note('old', '2026-12-01T00:00:00Z')], null);
    expect(store.unreadCount).toBe(2);
    expect(store.nextCursor).toBeNull();
    store.markAllRead('T3');
    expect(store.unreadCount).toBe(0);
    expect(store.list().map((e) => e.readAt)).toEqual(['T3', 'T1', 'T3']);
  });
});
