// The reference in-app inbox: a bell, an unread badge, a dropdown list, mark-as-read, live
// arrival through Centrifugo with recovery after a reconnect, and token refresh through the
// client's getToken callback. Plain browser JavaScript with the official `centrifuge` client,
// so it can be copied into any app. docs/realtime.md walks through it.
/* global Centrifuge */
'use strict';

(function main() {
  const params = new URLSearchParams(window.location.hash.slice(1));
  const apiKey = params.get('apiKey');
  const userId = params.get('userId');
  const ttlSeconds = params.has('ttl') ? Number(params.get('ttl')) : undefined;
  const websocketUrl = `${document.body.dataset.centrifugoUrl}`;
  const $ = (id) => document.getElementById(id);

  /** id → {id, title, body, category, eventType, createdAt, readAt, source: stored|live|recovered} */
  const items = new Map();
  let unread = 0;
  let refreshes = 0;
  let credentials; // {token, channels, expiresAt}

  // ---------------------------------------------------------------- your backend's job
  // In your app this request is made by YOUR backend (it holds the API key) for the signed-in
  // user; the browser asks your backend and receives only {token, channels, expiresAt}.
  async function fetchRealtimeToken() {
    const response = await fetch('/api/v1/auth/realtime-token', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
      body: JSON.stringify(ttlSeconds ? { userId, ttlSeconds } : { userId }),
    });
    const body = await response.json();
    // 401/403 will not get better by retrying: tell the client to stop (UnauthorizedError).
    if (response.status === 401 || response.status === 403) throw new Centrifuge.UnauthorizedError(body.error.code);
    if (!response.ok) throw new Error(body.error ? body.error.code : `HTTP ${response.status}`);
    return body;
  }

  // ---------------------------------------------------------------- inbox API (Bearer token)
  async function inbox(path, method = 'GET', retried = false) {
    const response = await fetch(`/api/v1/inbox${path}`, { method, headers: { authorization: `Bearer ${credentials.token}` } });
    if (response.status === 401 && !retried) {
      credentials = await fetchRealtimeToken(); // the token expired between refreshes
      return inbox(path, method, true);
    }
    if (!response.ok) throw new Error(`inbox ${path}: HTTP ${response.status}`);
    return response.json();
  }

  async function loadStored() {
    const [page, count] = await Promise.all([inbox('/notifications?limit=20'), inbox('/unread-count')]);
    const storedIds = new Set(page.data.map((item) => item.id));
    // Live items that the stored page does not hold yet arrived after the count was taken.
    const liveOnly = [...items.values()].filter((item) => !storedIds.has(item.id) && !item.readAt).length;
    for (const item of page.data) if (!items.has(item.id)) items.set(item.id, { ...item, source: 'stored' });
    unread = count.unreadCount + liveOnly;
    render();
  }

  function arrived(data, source) {
    if (items.has(data.id)) return; // live and stored copies of one notification meet here
    items.set(data.id, { ...data, readAt: null, source });
    unread += 1;
    render();
  }

  async function markRead(id) {
    const item = items.get(id);
    if (!item || item.readAt) return;
    const result = await inbox(`/notifications/${encodeURIComponent(id)}/read`, 'POST');
    item.readAt = result.readAt;
    unread = Math.max(0, unread - 1);
    render();
  }

  async function markAllRead() {
    await inbox('/read-all', 'POST');
    const now = new Date().toISOString();
    for (const item of items.values()) item.readAt = item.readAt || now;
    unread = 0;
    render();
  }

  // ---------------------------------------------------------------- rendering (text only, never HTML)
  function render() {
    const badge = $('badge');
    badge.textContent = unread > 99 ? '99+' : String(unread);
    badge.hidden = unread === 0;
    $('refreshes').textContent = String(refreshes);
    const sorted = [...items.values()].sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1));
    $('empty').hidden = sorted.length > 0;
    $('list').replaceChildren(...sorted.map(renderItem));
  }

  function renderItem(item) {
    const li = document.createElement('li');
    li.className = 'item';
    li.dataset.testid = 'item';
    li.dataset.id = item.id;
    li.dataset.read = String(Boolean(item.readAt));
    li.dataset.source = item.source;
    li.dataset.category = item.category;
  li.dataset.createdAt = item.createdAt;
    const title = document.createElement('div');
    title.className = 'title';
    title.textContent = item.title;
    const body = document.createElement('div');
    body.className = 'body';
    body.textContent = item.body;
    const meta = document.createElement('div');
    meta.className = 'meta';
    meta.textContent = `${item.category} · ${new Date(item.createdAt).toLocaleString()}`;
    li.append(title, body, meta);
    li.addEventListener('click', () => markRead(item.id).catch(showError));
    return li;
  }

  function showError(error) {
    $('error').hidden = false;
    $('error').textContent = String(error && error.message ? error.message : error);
  }

  // ---------------------------------------------------------------- the connection
  async function start() {
    if (!apiKey || !userId) throw new Error('Open this page as /demo/inbox#apiKey=oq_live_…&userId=…');
    $('user').textContent = userId;
    credentials = await fetchRealtimeToken();

    const centrifuge = new Centrifuge(websocketUrl, {
      token: credentials.token,
      // Called when the token is about to expire (and after a refused one): a fresh token, no reload.
      getToken: async () => {
        credentials = await fetchRealtimeToken();
        refreshes += 1;
        render();
        return credentials.token;
      },
    });
    centrifuge.on('state', (ctx) => {
      $('state').textContent = ctx.newState;
    });

    // Publications replayed by a recovery are delivered right after the 'subscribed' event.
    let recovering = false;
    for (const channel of credentials.channels) {
      const subscription = centrifuge.newSubscription(channel);
      subscription.on('subscribed', (ctx) => {
        if (ctx.recovered) {
          recovering = true;
          setTimeout(() => (recovering = false), 0);
        } else if (ctx.wasRecovering) {
          loadStored().catch(showError); // outside the history window: ask the inbox instead
        }
      });
      subscription.on('publication', (ctx) => arrived(ctx.data, recovering ? 'recovered' : 'live'));
      subscription.subscribe();
    }
    centrifuge.connect();
    await loadStored(); // after subscribing, so nothing falls between the two

    $('bell').addEventListener('click', () => {
      const panel = $('panel');
      panel.hidden = !panel.hidden;
      $('bell').setAttribute('aria-expanded', String(!panel.hidden));
    });
    $('read-all').addEventListener('click', () => markAllRead().catch(showError));
    $('toggle').addEventListener('click', () => {
      const offline = centrifuge.state === Centrifuge.State.Disconnected;
      if (offline) centrifuge.connect();
      else centrifuge.disconnect();
      $('toggle').textContent = offline ? 'Go offline' : 'Go online';
    });
  }

  start().catch(showError);
})();
