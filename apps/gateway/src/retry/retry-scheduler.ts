import type { Retry } from '@orqestra/contracts';

/**
 * Holds retry messages until they are due, so that a due retry is never held up behind a later
 * one on the same partition (no head-of-line blocking): the retry topic's offsets are committed
 * as soon as a message is scheduled. Nothing is lost if the process dies: the row's
 * next_attempt_at is the durable schedule, and the sweeper republishes RETRYING rows whose
 * retry message went missing.
 */
export class RetryScheduler {
  private readonly timers = new Set<NodeJS.Timeout>();
  private waiting: (() => void)[] = [];

  constructor(
    private readonly run: (message: Retry) => Promise<void>,
    private readonly options: { maxScheduled: number; onError: (error: unknown, message: Retry) => void; onChange?: (scheduled: number) => void },
    private readonly now: () => number = Date.now,
  ) {}

  get scheduled(): number {
    return this.timers.size;
  }

  /** Resolves once the message is scheduled (waits while too many are held in memory). */
  async schedule(message: Retry): Promise<void> {
    while (this.timers.size >= this.options.maxScheduled) await new Promise<void>((resolve) => this.waiting.push(resolve));
    const delay = Math.max(0, new Date(message.dueAt).getTime() - this.now());
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.options.onChange?.(this.timers.size);
      this.waiting.shift()?.();
      this.run(message).catch((error: unknown) => this.options.onError(error, message));
    }, delay);
    this.timers.add(timer);
    this.options.onChange?.(this.timers.size);
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const resolve of this.waiting) resolve();
    this.waiting = [];
  }
}
