import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Retry } from '@orqestra/contracts';
import { RetryScheduler } from './retry-scheduler.js';

/** The scheduler collects what fell due until the event loop's check phase (a real setImmediate here). */
const checkPhase = () => new Promise<void>((resolve) => setImmediate(resolve));
const retry = (id: string, dueAt: number) => ({ message: { notificationId: id, dueAt: new Date(dueAt).toISOString() } as Retry });

describe('RetryScheduler', () => {
  afterEach(() => vi.useRealTimers());

  it('runs the retries that fall due together as batches of at most maxBatch, and a later one on its own, each when due', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const now = Date.now();
    const runs: string[][] = [];
    const scheduler = new RetryScheduler((entries) => Promise.resolve(void runs.push(entries.map((e) => e.message.notificationId))), {
      maxScheduled: 10,
      maxBatch: 2,
      onError: () => {},
    });
    for (const entry of [retry('a', now + 100), retry('b', now + 100), retry('c', now + 100), retry('d', now + 500)])
      await scheduler.schedule(entry);
    expect(scheduler.scheduled).toBe(4);
    vi.advanceTimersByTime(99);
    expect(runs).toEqual([]);
    vi.advanceTimersByTime(1);
    await checkPhase();
    expect(runs).toEqual([['a', 'b'], ['c']]);
    vi.advanceTimersByTime(400);
    await checkPhase();
    expect(runs).toEqual([['a', 'b'], ['c'], ['d']]);
    expect(scheduler.scheduled).toBe(0);
  });

  it('reports a failed batch with its entries (the sweeper picks them up), and stop() drops what is still held', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const now = Date.now();
    const failed: string[][] = [];
    const scheduler = new RetryScheduler(() => Promise.reject(new Error('database down')), {
      maxScheduled: 10,
      maxBatch: 10,
      onError: (_error, entries) => void failed.push(entries.map((e) => e.message.notificationId)),
    });
    await scheduler.schedule(retry('a', now + 10));
    await scheduler.schedule(retry('b', now + 1_000));
    vi.advanceTimersByTime(10);
    await checkPhase();
    await checkPhase();
    expect(failed).toEqual([['a']]);
    scheduler.stop();
    vi.advanceTimersByTime(2_000);
    await checkPhase();
    expect(failed).toEqual([['a']]);
    expect(scheduler.scheduled).toBe(0);
  });
});
