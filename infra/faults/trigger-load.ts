import { Agent, fetch } from 'undici';

/**
 * Steady trigger load with one marker per event, sent by a client that behaves as docs/api.md §4.5
 * tells clients to: on 503, 409 IDEMPOTENCY_IN_PROGRESS, 429, a timeout or a dropped connection it
 * retries the SAME event (same eventId) after Retry-After, a bounded number of times. An event is
 * "accepted" once one of its attempts got a 2xx. Loopback only; stops by itself.
 */
export interface LoadTarget {
  /** Which vendor's tenant this is (the key of the ledger). */
  vendor: string;
  apiKey: string;
}

export interface MarkerEvent {
  marker: string;
  vendor: string;
  withPush: boolean;
  /** Set when one attempt got a 2xx. */
  acceptedAt?: number;
  attempts: number;
  /** The last non-2xx answer or error, for events never accepted. */
  lastError?: string;
}

export interface LoadOptions {
  apiUrl: string;
  targets: LoadTarget[];
  /** Events per second, over all targets (round robin). */
  ratePerSecond: number;
  /** Marker prefix: unique per run and scenario. */
  prefix: string;
  /** Every n-th event also asks for PUSH (0: none). */
  pushEvery?: number;
  /** Hard bound on how many events this load sends. */
  maxEvents: number;
  /** An event's retries give up after this long. */
  retryBudgetMs?: number;
  requestTimeoutMs?: number;
}

const RETRIED = new Set([408, 409, 425, 429, 500, 502, 503, 504]);

export class TriggerLoad {
  readonly events: MarkerEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly inflight = new Set<Promise<void>>();
  private readonly agent = new Agent({ connections: 64, keepAliveTimeout: 4_000 });
  private stopped = false;

  constructor(private readonly options: LoadOptions) {}

  /** Starts sending; returns at once. */
  start(): this {
    const started = Date.now();
    let sent = 0;
    // Ticks of 50 ms, each sending what the rate owes so far (a slow tick is caught up, not dropped).
    this.timer = setInterval(() => {
      const owed = Math.min(this.options.maxEvents, Math.floor(((Date.now() - started) / 1000) * this.options.ratePerSecond));
      while (sent < owed && !this.stopped) {
        const target = this.options.targets[sent % this.options.targets.length];
        if (!target) break;
        const withPush = (this.options.pushEvery ?? 0) > 0 && sent % (this.options.pushEvery ?? 1) === 0;
        const event: MarkerEvent = {
          marker: `${this.options.prefix}-${target.vendor}-${sent}`,
          vendor: target.vendor,
          withPush,
          attempts: 0,
        };
        this.events.push(event);
        const sending = this.send(target, event).finally(() => this.inflight.delete(sending));
        this.inflight.add(sending);
        sent += 1;
      }
      if (sent >= this.options.maxEvents) this.stopScheduling();
    }, 50);
    return this;
  }

  /** Stops starting new events; those already sent keep retrying within their budget. */
  stopScheduling(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Stops, and waits until every event is accepted or has given up. */
  async finish(): Promise<MarkerEvent[]> {
    this.stopScheduling();
    while (this.inflight.size > 0) await Promise.all([...this.inflight]);
    await this.agent.close();
    return this.events;
  }

  accepted(vendor?: string): MarkerEvent[] {
    return this.events.filter((e) => e.acceptedAt !== undefined && (vendor === undefined || e.vendor === vendor));
  }

  private async send(target: LoadTarget, event: MarkerEvent): Promise<void> {
    const deadline = Date.now() + (this.options.retryBudgetMs ?? 90_000);
    const n = event.marker.slice(event.marker.lastIndexOf('-') + 1);
    const body = JSON.stringify({
      eventType: 'global.info',
      eventId: event.marker,
      channels: event.withPush ? ['EMAIL', 'PUSH'] : ['EMAIL'],
      payload: { userId: `fault-user-${Number(n) % 50}`, recipientEmail: `${event.marker}@faults.example.com` },
      variables: { title: 'Fault matrix', message: event.marker },
    });
    for (;;) {
      event.attempts += 1;
      let retryAfterMs = 1_000;
      try {
        const response = await fetch(`${this.options.apiUrl}/api/v1/events/trigger`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': target.apiKey },
          body,
          signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 10_000),
          dispatcher: this.agent,
        });
        const text = await response.text();
        if (response.ok) {
          event.acceptedAt = Date.now();
          return;
        }
        event.lastError = `${response.status} ${text.slice(0, 200)}`;
        if (!RETRIED.has(response.status)) return;
        const header = Number(response.headers.get('retry-after'));
        if (Number.isFinite(header) && header > 0) retryAfterMs = Math.min(header * 1000, 5_000);
      } catch (error) {
        event.lastError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
      if (Date.now() + retryAfterMs > deadline) return;
      await new Promise((resolve) => setTimeout(resolve, retryAfterMs));
    }
  }
}
