import { Centrifuge, UnauthorizedError, type State } from 'centrifuge';
import { InboxApi, InboxUnauthorizedError, type RealtimeCredentials } from './inbox-api.js';
import { InboxStore, type InboxEntry, type InboxNotification } from './inbox-store.js';
import { inboxStyles } from './inbox-styles.js';

export type TokenCallback = () => Promise<RealtimeCredentials>;
export type ConnectionState = `${State}`;

/** Events the element dispatches (they bubble and cross shadow roots). */
export interface InboxEventMap {
  'orqestra-inbox-state': CustomEvent<{ state: ConnectionState }>;
  'orqestra-inbox-unread': CustomEvent<{ count: number }>;
  'orqestra-inbox-notification': CustomEvent<{ notification: InboxEntry }>;
  'orqestra-inbox-token': CustomEvent<{ refresh: boolean }>;
  'orqestra-inbox-error': CustomEvent<{ error: unknown }>;
}

const SKELETON = `
<button class="bell" part="bell" type="button" aria-expanded="false" aria-controls="panel" data-testid="bell">
  <svg aria-hidden="true" focusable="false" width="20" height="20" viewBox="0 0 24 24" fill="currentColor"><path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"/></svg>
  <span class="badge" part="badge" data-testid="badge" aria-hidden="true" hidden>0</span>
</button>
<section class="panel" part="panel" id="panel" data-testid="panel" hidden>
  <div class="head"><h2 id="heading"></h2><button class="link" part="read-all" type="button" data-testid="read-all">Mark all as read</button></div>
  <p class="empty" data-testid="empty">No notifications yet.</p>
  <ul data-testid="list" aria-labelledby="heading"></ul>
  <button class="more" part="load-more" type="button" data-testid="load-more" hidden>Show older notifications</button>
</section>
<div class="sr-only" role="status" aria-live="polite" data-testid="announcer"></div>
`;

/**
 * `<orqestra-inbox api-url="https://notify.example.com" centrifugo-url="wss://rt.example.com/connection/websocket">`
 *
 * A bell with an unread badge and a panel listing the user's in-app notifications: live through
 * the official `centrifuge` client, history from the inbox API in pages, recovery of what was
 * missed after a reconnect, mark read / mark all read. Set `getToken` to a function that asks
 * YOUR backend for a realtime token (`{token, channels}`); the element never sees an API key and
 * talks only to `api-url` and `centrifugo-url`.
 */
export class OrqestraInboxElement extends HTMLElement {
  static readonly observedAttributes = ['api-url', 'centrifugo-url', 'label'];

  #getToken: TokenCallback | undefined;
  #credentials: RealtimeCredentials | undefined;
  #tokenRequest: Promise<RealtimeCredentials> | undefined;
  #centrifuge: Centrifuge | undefined;
  #api: InboxApi | undefined;
  #store = new InboxStore();
  #state: ConnectionState = 'disconnected';
  #recovering = false;
  #started = false;
  readonly #root: ShadowRoot;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(inboxStyles);
    this.#root.adoptedStyleSheets = [sheet];
    this.#root.innerHTML = SKELETON;
    this.#$('.bell').addEventListener('click', () => this.toggle());
    this.#$('[data-testid="read-all"]').addEventListener('click', () => void this.markAllRead().catch((e: unknown) => this.#fail(e)));
    this.#$('.more').addEventListener('click', () => void this.loadMore().catch((e: unknown) => this.#fail(e)));
    this.#$('ul').addEventListener('keydown', (event) => this.#moveFocus(event as KeyboardEvent));
    this.#root.addEventListener('keydown', (event) => {
      if ((event as KeyboardEvent).key === 'Escape' && !this.#$('.panel').hidden) {
        this.close();
        this.#$<HTMLButtonElement>('.bell').focus();
      }
    });
  }

  /** Returns `{token, channels}` from your backend (which calls POST /api/v1/auth/realtime-token). Throw `InboxUnauthorizedError` when the user is signed out. */
  get getToken(): TokenCallback | undefined {
    return this.#getToken;
  }
  set getToken(callback: TokenCallback | undefined) {
    this.#getToken = callback;
    this.#maybeStart();
  }

  get unreadCount(): number {
    return this.#store.unreadCount;
  }
  get connectionState(): ConnectionState {
    return this.#state;
  }
  /** Newest first. */
  get notifications(): InboxEntry[] {
    return this.#store.list();
  }

  connectedCallback(): void {
    // A getToken set before the element was defined sits on the instance: route it through the setter.
    if (Object.prototype.hasOwnProperty.call(this, 'getToken')) {
      const callback = (this as { getToken?: TokenCallback }).getToken;
      delete (this as { getToken?: TokenCallback }).getToken;
      this.getToken = callback;
    }
    this.#render();
    this.#maybeStart();
  }

  disconnectedCallback(): void {
    this.#stop();
  }

  attributeChangedCallback(name: string, previous: string | null, next: string | null): void {
    if (previous === next) return;
    if (name === 'label') return this.#render();
    if (this.#started) this.#stop();
    this.#maybeStart();
  }

  open(): void {
    this.#$('.panel').hidden = false;
    this.#$('.bell').setAttribute('aria-expanded', 'true');
  }
  close(): void {
    this.#$('.panel').hidden = true;
    this.#$('.bell').setAttribute('aria-expanded', 'false');
  }
  toggle(): void {
    if (this.#$('.panel').hidden) this.open();
    else this.close();
  }

  /** Reconnects after `disconnect()`; what was published meanwhile is recovered from Centrifugo's history. */
  connect(): void {
    this.#centrifuge?.connect();
  }
  disconnect(): void {
    this.#centrifuge?.disconnect();
  }

  async markRead(id: string): Promise<void> {
    const entry = this.#store.get(id);
    if (!entry || entry.readAt !== null || !this.#api) return;
    this.#store.markRead(id, await this.#api.markRead(id));
    this.#render();
  }

  async markAllRead(): Promise<void> {
    if (!this.#api) return;
    await this.#api.markAllRead();
    this.#store.markAllRead(new Date().toISOString());
    this.#render();
  }

  /** The next older page of the history. */
  async loadMore(): Promise<void> {
    const cursor = this.#store.nextCursor;
    if (!this.#api || typeof cursor !== 'string') return;
    const page = await this.#api.page(this.#pageSize(), cursor);
    this.#store.appendOlder(page.data, page.pagination.nextCursor);
    this.#render();
  }

  override addEventListener<K extends keyof InboxEventMap>(
    type: K,
    listener: (event: InboxEventMap[K]) => void,
    options?: boolean | AddEventListenerOptions,
  ): void;
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void {
    super.addEventListener(type, listener, options);
  }

  // ------------------------------------------------------------------ connection

  #maybeStart(): void {
    if (this.#started || !this.isConnected || !this.#getToken) return;
    const apiUrl = this.getAttribute('api-url');
    const websocket = this.getAttribute('centrifugo-url');
    if (!apiUrl || !websocket) return;
    this.#started = true;
    this.#start(apiUrl.replace(/\/+$/, ''), websocket).catch((e: unknown) => this.#fail(e));
  }

  async #start(apiUrl: string, websocket: string): Promise<void> {
    const credentials = await this.#token(false);
    this.#api = new InboxApi(
      apiUrl,
      async () => this.#credentials ?? this.#token(false),
      () => this.#token(true),
    );
    const centrifuge = new Centrifuge(websocket, {
      token: credentials.token,
      // Called before the token expires (and after a refused one): a fresh one, no reload.
      getToken: async () => {
        try {
          return (await this.#token(true)).token;
        } catch (error) {
          if (error instanceof InboxUnauthorizedError) throw new UnauthorizedError(error.message);
          throw error;
        }
      },
    });
    this.#centrifuge = centrifuge;
    centrifuge.on('state', (ctx) => {
      this.#state = ctx.newState as ConnectionState;
      this.dataset.state = this.#state;
      this.#emit('orqestra-inbox-state', { state: this.#state });
    });
    for (const channel of credentials.channels) {
      const subscription = centrifuge.newSubscription(channel);
      subscription.on('subscribed', (ctx) => {
        if (ctx.recovered) {
          // The replayed publications are delivered right after this event.
          this.#recovering = true;
          setTimeout(() => (this.#recovering = false), 0);
        } else if (ctx.wasRecovering) {
          // Away longer than the history window: ask the inbox instead.
          this.#loadFirstPage().catch((e: unknown) => this.#fail(e));
        }
      });
      subscription.on('publication', (ctx) => this.#arrived(ctx.data as InboxNotification));
      subscription.subscribe();
    }
    centrifuge.connect();
    await this.#loadFirstPage(); // after subscribing, so nothing falls between the two
  }

  #stop(): void {
    this.#centrifuge?.disconnect();
    this.#centrifuge?.removeAllListeners();
    this.#centrifuge = undefined;
    this.#api = undefined;
    this.#credentials = undefined;
    this.#started = false;
  }

  /** One token request at a time: the socket and the inbox calls may both ask for a refresh at once. */
  #token(refresh: boolean): Promise<RealtimeCredentials> {
    this.#tokenRequest ??= (async () => {
      try {
        const callback = this.#getToken;
        if (!callback) throw new InboxUnauthorizedError('no getToken callback');
        const credentials = await callback();
        this.#credentials = credentials;
        this.#emit('orqestra-inbox-token', { refresh });
        return credentials;
      } finally {
        this.#tokenRequest = undefined;
      }
    })();
    return this.#tokenRequest;
  }

  async #loadFirstPage(): Promise<void> {
    if (!this.#api) return;
    const [page, unread] = await Promise.all([this.#api.page(this.#pageSize()), this.#api.unreadCount()]);
    this.#store.loadFirstPage(page.data, unread, page.pagination.nextCursor);
    this.#render();
  }

  #arrived(data: InboxNotification): void {
    const entry = this.#store.arrived(data, this.#recovering ? 'recovered' : 'live');
    if (!entry) return;
    this.#$('[role="status"]').textContent = `New notification: ${entry.title}`;
    this.#emit('orqestra-inbox-notification', { notification: entry });
    this.#render();
  }

  #fail(error: unknown): void {
    this.#emit('orqestra-inbox-error', { error });
  }

  // ------------------------------------------------------------------ rendering (text only, never HTML)

  #render(): void {
    const label = this.getAttribute('label') ?? 'Notifications';
    const unread = this.#store.unreadCount;
    const badge = this.#$('.badge');
    badge.textContent = unread > 99 ? '99+' : String(unread);
    badge.hidden = unread === 0;
    this.#$('.bell').setAttribute('aria-label', unread === 0 ? label : `${label}, ${unread} unread`);
    this.#$('#heading').textContent = label;
    this.#$('.panel').setAttribute('aria-label', label);
    const entries = this.#store.list();
    this.#$('.empty').hidden = entries.length > 0;
    this.#$<HTMLButtonElement>('[data-testid="read-all"]').disabled = unread === 0;
    this.#$('.more').hidden = typeof this.#store.nextCursor !== 'string';

    const focusedId = (this.#root.activeElement?.closest('li') as HTMLElement | null)?.dataset.id;
    this.#$('ul').replaceChildren(...entries.map((entry) => this.#item(entry)));
    if (focusedId) this.#root.querySelector<HTMLButtonElement>(`li[data-id="${CSS.escape(focusedId)}"] .entry`)?.focus();
    this.#emit('orqestra-inbox-unread', { count: unread });
  }

  #item(entry: InboxEntry): HTMLLIElement {
    const li = document.createElement('li');
    li.dataset.testid = 'item';
    li.dataset.id = entry.id;
    li.dataset.read = String(entry.readAt !== null);
    li.dataset.source = entry.source;
    li.dataset.category = entry.category;
    li.dataset.createdAt = entry.createdAt;
    li.setAttribute('part', 'item');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'entry';
    if (entry.readAt === null) button.append(span('sr-only', 'Unread: '));
    button.append(span('title', entry.title), span('body', entry.body), span('meta', `${entry.category} · ${formatTime(entry.createdAt)}`));
    button.addEventListener('click', () => void this.markRead(entry.id).catch((e: unknown) => this.#fail(e)));
    li.append(button);
    return li;
  }

  /** Up/Down/Home/End move between notifications. */
  #moveFocus(event: KeyboardEvent): void {
    const buttons = [...this.#root.querySelectorAll<HTMLButtonElement>('li .entry')];
    const current = buttons.indexOf(this.#root.activeElement as HTMLButtonElement);
    const next = { ArrowDown: current + 1, ArrowUp: current - 1, Home: 0, End: buttons.length - 1 }[event.key];
    if (next === undefined || buttons.length === 0) return;
    event.preventDefault();
    buttons[Math.max(0, Math.min(buttons.length - 1, next))]?.focus();
  }

  #pageSize(): number {
    const size = Number(this.getAttribute('page-size') ?? 20);
    return Number.isInteger(size) && size >= 1 && size <= 100 ? size : 20;
  }

  #emit<K extends keyof InboxEventMap>(type: K, detail: InboxEventMap[K]['detail']): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  #$<T extends HTMLElement = HTMLElement>(selector: string): T {
    return this.#root.querySelector<T>(selector)!;
  }
}

function span(className: string, text: string): HTMLSpanElement {
  const element = document.createElement('span');
  element.className = className;
  element.textContent = text;
  return element;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const formatTime = (iso: string) => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : timeFormat.format(date);
};
