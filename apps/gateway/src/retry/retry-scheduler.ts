import type { Retry } from '@orqestra/contracts';

/**
 * Holds retry messages until they are due, so that a due retry is never held up behind a later
 * one on the same partition (no head-of-line blocking): the retry topic's offsets are committed
 * as soon as a message is scheduled. Retries that fall due together (a burst throttled at once)
 * are run as one batch of at most `maxBatch`, like a fetched batch of the dispatch topic (an entry
 * carries its message and whatever the runner needs with it, such as its trace context). Nothing
 * is lost if the process dies: the row's next_attempt_at is the durable schedule, and the sweeper
 * republishes RETRYING rows whose retry message went missing.
 */
export class RetryScheduler<T extends { message: Retry } = { message: Retry }> {
  private readonly timers = new Set<NodeJS.Timeout>();
  private waiting: (() => void)[] = [];
  /** Due messages waiting for the next batch (collected until the event loop's check phase). */
  private due: T[] = [];
  private flushing: NodeJS.Immediate | undefined;

  constructor(
    private readonly run: (entries: T[]) => Promise<void>,
    private readonly options: {
      maxScheduled: number;
      maxBatch: number;
      onError: (error: unknown, entries: T[]) => void;
      onChange?: (scheduled: number) => void;
    },
    private readonly now: () => number = Date.now,
  ) {}

  get scheduled(): number {
    return this.timers.size;
  }

  /** Resolves once the entry's message is scheduled (waits while too many are held in memory). */
  async schedule(entry: T): Promise<void> {
    while (this.timers.size >= this.options.maxScheduled) await new Promise<void>((resolve) => this.waiting.push(resolve));
    const delay = Math.max(0, new Date(entry.message.dueAt).getTime() - this.now());
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.options.onChange?.(this.timers.size);
      this.waiting.shift()?.();
      this.due.push(entry);
      this.flushing ??= setImmediate(() => this.flush());
    }, delay);
    this.timers.add(timer);
    this.options.onChange?.(this.timers.size);
  }

  private flush(): void {
    this.flushing = undefined;
    const due = this.due;
    this.due = [];
    for (let i = 0; i < due.length; i += this.options.maxBatch) {
      const batch = due.slice(i, i + this.options.maxBatch);
      this.run(batch).catch((error: unknown) => this.options.onError(error, batch));
    }
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (this.flushing) clearImmediate(this.flushing);
    this.flushing = undefined;
    this.due = [];
    for (const resolve of this.waiting) resolve();
    this.waiting = [];
  }
}
