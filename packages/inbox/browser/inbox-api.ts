import type { InboxNotification } from './inbox-store.js';

/** What the host's token callback returns: the body of POST /api/v1/auth/realtime-token, relayed by the host's backend. */
export interface RealtimeCredentials {
  token: string;
  channels: string[];
  expiresAt?: string;
}

/**
 * Thrown by the host's token callback when the user may not have a token (signed out): the
 * component stops reconnecting instead of retrying.
 */
export class InboxUnauthorizedError extends Error {
  override readonly name = 'InboxUnauthorizedError';
}

export class InboxHttpError extends Error {
  override readonly name = 'InboxHttpError';
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The inbox routes (SPEC §2.5) with the realtime token as Bearer: no cookies, no API key. A 401
 * (the token expired between refreshes) fetches a new token once and repeats the call.
 */
export class InboxApi {
  constructor(
    private readonly apiUrl: string,
    private readonly credentials: () => Promise<RealtimeCredentials>,
    private readonly refresh: () => Promise<RealtimeCredentials>,
  ) {}

  async page(limit: number, cursor?: string): Promise<{ data: InboxNotification[]; pagination: { nextCursor: string | null } }> {
    const query = new URLSearchParams({ limit: String(limit) });
    if (cursor) query.set('cursor', cursor);
    return this.call(`/notifications?${query}`);
  }

  async unreadCount(): Promise<number> {
    return (await this.call<{ unreadCount: number }>('/unread-count')).unreadCount;
  }

  async markRead(id: string): Promise<string> {
    return (await this.call<{ readAt: string }>(`/notifications/${encodeURIComponent(id)}/read`, 'POST')).readAt;
  }

  async markAllRead(): Promise<number> {
    return (await this.call<{ updated: number }>('/read-all', 'POST')).updated;
  }

  private async call<T>(path: string, method: 'GET' | 'POST' = 'GET'): Promise<T> {
    let { token } = await this.credentials();
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(`${this.apiUrl}/api/v1/inbox${path}`, {
        method,
        headers: { authorization: `Bearer ${token}` },
        credentials: 'omit',
      });
      if (response.status === 401 && attempt === 0) {
        token = (await this.refresh()).token;
        continue;
      }
      const body = (await response.json().catch(() => undefined)) as { error?: { code?: string; message?: string } } | undefined;
      if (!response.ok)
        throw new InboxHttpError(response.status, body?.error?.code, `inbox ${path}: ${body?.error?.code ?? `HTTP ${response.status}`}`);
      return body as T;
    }
  }
}
