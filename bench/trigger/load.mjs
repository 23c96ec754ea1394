// Load generator for bench/trigger/run.mjs, run as its own process (forked, IPC) so its CPU is
// measured apart from the servers'. Two shapes:
//   - open loop ('rate'): request i is due at start + i/rate, whatever happened to earlier ones;
//     latency is measured from that scheduled time (no coordinated omission: a late send or a queue
//     in the client counts against the server under test). The schedule is checked every ~1 ms,
//     so up to ~1 ms of timer lag is included; 'sendLag' reports it.
//   - closed loop ('closed'): N connections, each sends its next request when the previous
//     answered; latency from the actual send. Used for saturation only.
// Bodies are ~0.5-2 KB 'order.confirmed' events with variables, each with a fresh random eventId
// (so every request is keyed and new: idempotency acquire + complete), spread over the tenants.
import { randomUUID } from 'node:crypto';
import { createHistogram, performance } from 'node:perf_hooks';
import { Pool } from 'undici';

const PATH = '/api/v1/events/trigger';
const TIMEOUT_MS = 10_000;
const ID_MARK = '@@EVENT_ID@@';

let tenants = [];
let templates = [];

/** Deterministic pseudo-random numbers, so every run offers the same bodies. */
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['Ada', 'Grace', 'Wanjiru', 'Kofi', 'Amara', 'Linus', 'Mei', 'Tariq', 'Sofia', 'Jomo'];
const LAST = ['Lovelace', 'Hopper', 'Mwangi', 'Mensah', 'Okafor', 'Berg', 'Chen', 'Haddad', 'Rossi', 'Kenyatta'];
const PRODUCTS = [
  'USB-C cable 2 m',
  'Wireless mouse',
  'Mechanical keyboard (brown switches)',
  'A4 notebook, dotted',
  'Stainless water bottle 750 ml',
  'Noise-cancelling headphones',
  'Phone case, clear',
  'Desk lamp LED',
  'Coffee beans 1 kg, medium roast',
  'Running socks x3',
];

/** Body templates split around the eventId: per request only the id is new. */
function buildTemplates(count) {
  const r = rng(20260101);
  const pick = (list) => list[Math.floor(r() * list.length)];
  const out = [];
  for (let i = 0; i < count; i++) {
    const first = pick(FIRST);
    const last = pick(LAST);
    const nItems = 1 + Math.floor(r() * 12);
    const items = Array.from({ length: nItems }, (_, k) => ({
      sku: `SKU-${100000 + Math.floor(r() * 900000)}`,
      name: pick(PRODUCTS),
      quantity: 1 + Math.floor(r() * 4),
      unitPrice: (1 + r() * 200).toFixed(2),
      position: k + 1,
    }));
    const total = items.reduce((sum, item) => sum + item.quantity * Number(item.unitPrice), 0).toFixed(2);
    const body = {
      eventType: pick(['order.confirmed', 'order.shipped', 'payment.received', 'order.confirmed']),
      eventId: ID_MARK,
      payload: {
        userId: `user-${Math.floor(r() * 1e6)}`,
        recipientEmail: `${first}.${last}${Math.floor(r() * 1000)}@example.com`.toLowerCase(),
        ...(r() < 0.5 ? { recipientPhone: `+2547${String(Math.floor(r() * 1e8)).padStart(8, '0')}` } : {}),
        firstName: first,
      },
      variables: {
        orderNo: `ORD-${Math.floor(r() * 1e8)}`,
        customerName: `${first} ${last}`,
        currency: pick(['KES', 'EUR', 'USD']),
        items,
        total,
        shippingAddress: {
          line1: `${1 + Math.floor(r() * 200)} Moi Avenue`,
          city: pick(['Nairobi', 'Mombasa', 'Kisumu', 'Lisbon', 'Berlin']),
          postcode: String(10000 + Math.floor(r() * 89999)),
          country: pick(['KE', 'PT', 'DE']),
        },
        deliveryWindow: { from: '2026-01-10T09:00:00Z', to: '2026-01-10T17:00:00Z' },
        trackingUrl: `https://track.example.com/p/${Math.floor(r() * 1e12).toString(36)}`,
      },
    };
    const [head, tail] = JSON.stringify(body).split(ID_MARK);
    out.push({ head, tail });
  }
  return out;
}

function nextRequest(i) {
  const t = templates[i % templates.length];
  const tenant = tenants[(i * 7919) % tenants.length];
  return { path: PATH, method: 'POST', headers: tenant.headers, body: t.head + randomUUID() + t.tail };
}

function newStats() {
  sample = null;
  return {
    latency: createHistogram({ lowest: 1, highest: 120_000_000, figures: 3 }),
    sendLag: createHistogram({ lowest: 1, highest: 120_000_000, figures: 3 }),
    ok: 0,
    statuses: {},
    errors: {},
    sent: 0,
  };
}

function recordOutcome(stats, status, error, latencyMs) {
  if (error) {
    const code = error.code ?? error.name ?? 'error';
    stats.errors[code] = (stats.errors[code] ?? 0) + 1;
    return;
  }
  if (status >= 200 && status < 300) stats.ok++;
  else stats.statuses[status] = (stats.statuses[status] ?? 0) + 1;
  stats.latency.record(Math.max(1, Math.round(latencyMs * 1000)));
}

/** The first non-2xx answer of a phase, kept for the report. */
let sample = null;

async function once(pool, i) {
  const response = await pool.request(nextRequest(i));
  if (response.statusCode >= 300 && sample === null) sample = `${response.statusCode} ${(await response.body.text()).slice(0, 300)}`;
  else await response.body.dump();
  return response.statusCode;
}

function summary(stats, seconds, extra) {
  const us = (h, p) => (h.count ? h.percentile(p) / 1000 : null);
  return {
    ...extra,
    seconds,
    sent: stats.sent,
    ok: stats.ok,
    acceptedPerSecond: stats.ok / seconds,
    statuses: stats.statuses,
    errors: stats.errors,
    p50: us(stats.latency, 50),
    p99: us(stats.latency, 99),
    p999: us(stats.latency, 99.9),
    max: stats.latency.count ? stats.latency.max / 1000 : null,
    sendLagP99: us(stats.sendLag, 99),
    sendLagMax: stats.sendLag.count ? stats.sendLag.max / 1000 : null,
    firstNon2xx: sample,
  };
}

function newPool(origin, connections) {
  return new Pool(origin, { connections, pipelining: 1, headersTimeout: TIMEOUT_MS, bodyTimeout: TIMEOUT_MS, keepAliveTimeout: 60_000 });
}

let counter = 0;

async function closedLoop({ origin, connections, seconds }) {
  const pool = newPool(origin, connections);
  const stats = newStats();
  const start = performance.now();
  const end = start + seconds * 1000;
  let last = start;
  const worker = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      stats.sent++;
      try {
        const status = await once(pool, counter++);
        last = performance.now();
        recordOutcome(stats, status, null, last - t0);
      } catch (error) {
        last = performance.now();
        recordOutcome(stats, 0, error, 0);
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  await pool.close();
  return summary(stats, (last - start) / 1000, { shape: 'closed', connections });
}

async function openLoop({ origin, rate, seconds, maxConnections }) {
  const pool = newPool(origin, maxConnections);
  const stats = newStats();
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  let inflight = 0;
  let peakInflight = 0;
  let unfinished = 0;
  const start = performance.now();
  await new Promise((resolve) => {
    let sent = 0;
    const fire = (intended) => {
      stats.sent++;
      inflight++;
      if (inflight > peakInflight) peakInflight = inflight;
      stats.sendLag.record(Math.max(1, Math.round((performance.now() - intended) * 1000)));
      once(pool, counter++)
        .then(
          (status) => recordOutcome(stats, status, null, performance.now() - intended),
          (error) => recordOutcome(stats, 0, error, 0),
        )
        .finally(() => {
          inflight--;
        });
    };
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - start) / interval) + 1);
      while (sent < due) fire(start + sent++ * interval);
      if (sent < total) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  const deadline = performance.now() + TIMEOUT_MS + 1_000;
  while (inflight > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  unfinished = inflight;
  if (unfinished) stats.errors.unfinished = unfinished;
  await pool.destroy();
  return summary(stats, seconds, { shape: 'open', rate, peakInflight, maxConnections });
}

process.on('message', async (msg) => {
  try {
    if (msg.cmd === 'setup') {
      tenants = msg.apiKeys.map((apiKey) => ({ headers: { 'content-type': 'application/json', 'x-api-key': apiKey } }));
      templates = buildTemplates(msg.templates ?? 500);
      const sizes = templates.map((t) => Buffer.byteLength(t.head + randomUUID() + t.tail)).sort((a, b) => a - b);
      process.send({ ok: true, bodyBytes: { min: sizes[0], median: sizes[sizes.length >> 1], max: sizes[sizes.length - 1] } });
    } else if (msg.cmd === 'closed') {
      process.send({ ok: true, result: await closedLoop(msg) });
    } else if (msg.cmd === 'open') {
      process.send({ ok: true, result: await openLoop(msg) });
    } else if (msg.cmd === 'exit') {
      process.exit(0);
    }
  } catch (error) {
    process.send({ ok: false, error: String(error?.stack ?? error) });
  }
});
process.on('disconnect', () => process.exit(0));
