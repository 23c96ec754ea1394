import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a fake received, for assertions on the wire format. Credentials are never recorded. */
export interface ReceivedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  /** Lower-case header names; `authorization`, `apikey` and `x-api-key` are left out. */
  headers: Record<string, string>;
  /** The media type of the request body, without parameters (e.g. `application/json`). */
  contentType: string | undefined;
  /** JSON → the parsed value; form-encoded → a record of strings; anything else → the raw text. */
  body: unknown;
  /** The request carried the credentials this fake expects (and `badCredentials` was off). */
  authorized: boolean;
  at: Date;
}

/** A send the vendor would actually deliver (what the crash tests count to find duplicates). */
export interface AcceptedSend {
  id: string;
  at: Date;
  /** The parsed request body of the send. */
  body: unknown;
}

/**
 * Runtime switches, settable from tests with `fake.set({...})`, reset with `fake.ok()`.
 * Injected failures apply to send requests only; `badCredentials` and `slowMs` to every request.
 */
export interface FakeBehaviour {
  /** The next n sends answer the vendor's 5xx error, then sends succeed again. */
  fail5xx: number;
  /** The next n sends answer 429 with the vendor's back-off header. */
  rateLimit: number;
  /** The back-off the 429 asks for, in seconds. */
  retryAfterSeconds: number;
  /** Every answer is delayed by this many ms. A send is accepted first, so a client that times out "may have sent". */
  slowMs: number;
  /** Sends answer the vendor's message-level 4xx (invalid recipient). */
  permanent: boolean;
  /** Every request is refused as if the key had been revoked. */
  badCredentials: boolean;
  /** The connection is reset after the request was processed (a send is accepted), instead of answering. */
  dropConnection: boolean;
  /**
   * A hung vendor: every request waits, unanswered and unprocessed, while this is on. Turning it off
   * (`set({ hang: false })`, `ok()`, `reset()`) processes the held requests as usual, so a send whose
   * client gave up meanwhile is still accepted, as by a vendor that stalled and then caught up.
   */
  hang: boolean;
}

export const DEFAULT_BEHAVIOUR: FakeBehaviour = {
  fail5xx: 0,
  rateLimit: 0,
  retryAfterSeconds: 2,
  slowMs: 0,
  permanent: false,
  badCredentials: false,
  dropConnection: false,
  hang: false,
};

export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string as-is (set content-type in headers). */
  body?: unknown;
}

export interface ParsedRequest {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  contentType: string | undefined;
  body: unknown;
}

export type InjectedFailure = 'fail5xx' | 'rateLimit' | 'permanent';

export interface RunningFake {
  url: string;
  close(): Promise<void>;
}

const SECRET_HEADERS = new Set(['authorization', 'apikey', 'x-api-key']);

function parseBody(contentType: string | undefined, raw: string): unknown {
  if (contentType === 'application/json') {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return raw;
    }
  }
  if (contentType === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(raw));
  return raw;
}

/**
 * Base of the fake vendor servers: an HTTP server on 127.0.0.1 (port 0) that records what it
 * receives, applies the switches and lets each vendor's subclass answer in that vendor's format.
 */
export abstract class FakeVendorServer<B extends FakeBehaviour = FakeBehaviour> {
  readonly received: ReceivedRequest[] = [];
  readonly accepted: AcceptedSend[] = [];
  behaviour: B;
  private server: Server | undefined;
  private baseUrl: string | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Requests held by `hang`, released when it is turned off (or the fake is closed). */
  private readonly held = new Set<() => void>();

  protected constructor(private readonly defaults: B) {
    this.behaviour = { ...defaults };
  }

  /** Base URL of the running fake, e.g. `http://127.0.0.1:40123`. */
  get url(): string {
    if (!this.baseUrl) throw new Error('fake vendor not started');
    return this.baseUrl;
  }

  /** Changes switches; returns the fake for chaining. */
  set(patch: Partial<B>): this {
    this.behaviour = { ...this.behaviour, ...patch };
    if (!this.behaviour.hang) this.releaseHeld();
    return this;
  }

  /** Back to normal behaviour (switches off); keeps what was received. */
  ok(): this {
    this.behaviour = { ...this.defaults };
    this.releaseHeld();
    return this;
  }

  /** Forgets what was received and accepted, and resets the switches. */
  reset(): this {
    this.received.length = 0;
    this.accepted.length = 0;
    this.resetState();
    return this.ok();
  }

  /** How many sends the vendor would actually deliver. */
  acceptedSends(): number {
    return this.accepted.length;
  }

  async start(): Promise<RunningFake> {
    if (this.server) return { url: this.url, close: () => this.close() };
    const server = createServer((req, res) => {
      this.onRequest(req, res).catch(() => {
        if (!res.headersSent && !res.destroyed) {
          res.statusCode = 500;
          res.end();
        }
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { url: this.baseUrl, close: () => this.close() };
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.releaseHeld();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Answers one request in the vendor's format. Record accepted sends with `accept()`. */
  protected abstract handle(request: ParsedRequest): FakeResponse | Promise<FakeResponse>;

  /** Whether the request carries the expected credentials (ignoring `badCredentials`). */
  protected abstract hasValidCredentials(request: ParsedRequest): boolean;

  /** Vendor-specific state to clear on `reset()`. */
  protected resetState(): void {}

  protected isAuthorized(request: ParsedRequest): boolean {
    return !this.behaviour.badCredentials && this.hasValidCredentials(request);
  }

  /** Consumes the next failure to inject into a send, if any: rate limit, then 5xx, then permanent. */
  protected takeInjectedFailure(): InjectedFailure | undefined {
    if (this.behaviour.rateLimit > 0) {
      this.behaviour.rateLimit -= 1;
      return 'rateLimit';
    }
    if (this.behaviour.fail5xx > 0) {
      this.behaviour.fail5xx -= 1;
      return 'fail5xx';
    }
    return this.behaviour.permanent ? 'permanent' : undefined;
  }

  protected accept(id: string, body: unknown): void {
    this.accepted.push({ id, at: new Date(), body });
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.on('error', () => undefined);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const contentType = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const parsed: ParsedRequest = {
      method: req.method ?? 'GET',
      url,
      headers: req.headers,
      contentType,
      body: parseBody(contentType, raw),
    };
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !SECRET_HEADERS.has(name)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    this.received.push({
      method: parsed.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      contentType,
      body: parsed.body,
      authorized: this.isAuthorized(parsed),
      at: new Date(),
    });
    if (this.behaviour.hang) await new Promise<void>((resolve) => this.held.add(resolve));
    const answer = await this.handle(parsed);
    if (this.behaviour.slowMs > 0) await this.delay(this.behaviour.slowMs);
    if (res.destroyed) return;
    if (this.behaviour.dropConnection) {
      res.socket?.resetAndDestroy();
      return;
    }
    const isText = typeof answer.body === 'string';
    res.writeHead(answer.status, {
      ...(answer.body !== undefined && !isText ? { 'content-type': 'application/json; charset=utf-8' } : {}),
      ...answer.headers,
    });
    res.end(answer.body === undefined ? undefined : isText ? (answer.body as string) : JSON.stringify(answer.body));
  }

  private releaseHeld(): void {
    const waiting = [...this.held];
    this.held.clear();
    for (const release of waiting) release();
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }
}

/** A free loopback URL nobody listens on (for connection-refused tests). */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
