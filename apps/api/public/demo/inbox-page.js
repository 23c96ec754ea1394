// The demo page around <orqestra-inbox> (packages/inbox). Bundled after the component into
// /demo/inbox.js by `npm run build -w @orqestra/inbox`, because the page's CSP admits only its own
// scripts. In your app the token callback asks YOUR backend; docs/realtime.md walks through it.
/* global OrqestraInbox */
'use strict';

(function demo() {
  const params = new URLSearchParams(window.location.hash.slice(1));
  const apiKey = params.get('apiKey');
  const userId = params.get('userId');
  const ttlSeconds = params.has('ttl') ? Number(params.get('ttl')) : undefined;
  const $ = (id) => document.getElementById(id);
  const inbox = document.querySelector('orqestra-inbox');
  let tokens = 0;

  function showError(error) {
    $('error').hidden = false;
    $('error').textContent = String(error && error.message ? error.message : error);
  }

  if (!apiKey || !userId) {
    showError(new Error('Open this page as /demo/inbox#apiKey=oq_live_…&userId=…'));
    return;
  }
  $('user').textContent = userId;

  // ---------------------------------------------------------------- your backend's job
  // In your app this request is made by YOUR backend (it holds the API key) for the signed-in
  // user, e.g. with @orqestra/node's createRealtimeToken; the browser receives only {token, channels}.
  inbox.getToken = async () => {
    const response = await fetch('/api/v1/auth/realtime-token', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
      body: JSON.stringify(ttlSeconds ? { userId, ttlSeconds } : { userId }),
    });
    const body = await response.json();
    // 401/403 will not get better by retrying: tell the component to stop.
    if (response.status === 401 || response.status === 403) throw new OrqestraInbox.InboxUnauthorizedError(body.error.code);
    if (!response.ok) throw new Error(body.error ? body.error.code : `HTTP ${response.status}`);
    tokens += 1;
    $('refreshes').textContent = String(tokens - 1);
    return body;
  };

  inbox.addEventListener('orqestra-inbox-state', (event) => {
    $('state').textContent = event.detail.state;
  });
  inbox.addEventListener('orqestra-inbox-error', (event) => showError(event.detail.error));
  inbox.setAttribute('api-url', window.location.origin);
  inbox.setAttribute('centrifugo-url', document.body.dataset.centrifugoUrl);

  $('toggle').addEventListener('click', () => {
    const offline = inbox.connectionState === 'disconnected';
    if (offline) inbox.connect();
    else inbox.disconnect();
    $('toggle').textContent = offline ? 'Go offline' : 'Go online';
  });
})();
