/**
 * A counting semaphore: at most `limit` holders at once; the others wait in arrival order. The
 * gateway holds one slot of the process-wide limit (CONCURRENCY) and one of the tenant's
 * (TENANT_INFLIGHT_CAP) around each vendor call.
 */
export class Slots {
  private used = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  /** Nobody holds or waits for a slot. */
  get idle(): boolean {
    return this.used === 0 && this.waiting.length === 0;
  }

  /** Resolves with the slot's release function once a slot is free (release is safe to call twice). */
  async acquire(): Promise<() => void> {
    if (this.used < this.limit) this.used++;
    // A released slot passes straight to the first waiter, so `used` stays as it is.
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.used--;
    };
  }
}

/** A Slots per key (tenant), made on first use and dropped once idle. */
export class KeyedSlots {
  private readonly slots = new Map<string, Slots>();

  constructor(private readonly limit: number) {}

  async acquire(key: string): Promise<() => void> {
    let slots = this.slots.get(key);
    if (!slots) this.slots.set(key, (slots = new Slots(this.limit)));
    const release = await slots.acquire();
    return () => {
      release();
      if (slots.idle && this.slots.get(key) === slots) this.slots.delete(key);
    };
  }

  /** Keys with a slot held or awaited (for tests and metrics). */
  get size(): number {
    return this.slots.size;
  }
}
