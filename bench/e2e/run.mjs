// npm run bench:e2e — end-to-end delivery rate: trigger (HTTP) → worker → gateway → fake vendor 2xx
// → SENT, everything co-located on this machine. Bounded (BENCH_EVENTS, BENCH_MAX_MINUTES) and
// loopback-only; every process it starts is stopped at the end, on error or on a signal.
//
// It uses the tests' database and its own topics (prefix `bench-e2e.`), starts a fake Resend, the
// built API, worker and gateway as separate processes, triggers BENCH_EVENTS email events across
// BENCH_TENANTS tenants with BENCH_CONCURRENCY requests in flight, and waits until every
// notification is SENT. Figures go to the `## End-to-end delivery` section of docs/benchmarks.md.
//
// Knobs: BENCH_EVENTS=20000 BENCH_TENANTS=20 BENCH_CONCURRENCY=64 BENCH_MAX_MINUTES=5 BENCH_WRITE_DOC=1
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { parseKeyring, SecretBox } from '@orqestra/crypto';
import { sql } from 'kysely';
import { createDatabase, insertTenantWithApiKey, withOperator } from '@orqestra/db';
import { FakeResend } from '@orqestra/providers';
import { freePort, serviceEnv, stackEnv, startService } from '@orqestra/testing';
import { generateApiKey } from '../../apps/api/dist/platform/api-keys.js';
import { cpuMeter, STACK_PROCESSES, writeSection } from '../lib/host.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const num = (name, fallback) => (process.env[name] ? Number(process.env[name]) : fallback);
const S = {
  events: num('BENCH_EVENTS', 20_000),
  tenants: num('BENCH_TENANTS', 20),
  concurrency: num('BENCH_CONCURRENCY', 64),
  maxMinutes: num('BENCH_MAX_MINUTES', 5),
  writeDoc: process.env.BENCH_WRITE_DOC !== '0',
};
const PREFIX = 'bench-e2e.';
const TARGET = 1_500;
const log = (...a) => process.stderr.write(`[bench:e2e] ${a.join(' ')}\n`);

const started = [];
let fake;
async function cleanUp() {
  await Promise.all(started.map((p) => p.stop().catch(() => {})));
  await fake?.close().catch(() => {});
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => void cleanUp().finally(() => process.exit(130)));
const hardStop = setTimeout(() => {
  log(`over ${S.maxMinutes} minutes: stopping`);
  void cleanUp().finally(() => process.exit(2));
}, S.maxMinutes * 60_000);
hardStop.unref();

async function main() {
  const env = stackEnv();
  for (const url of [env.databaseUrl, env.redisUrl, env.centrifugoUrl, ...env.kafkaBrokers.map((b) => `tcp://${b}`)]) {
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname)) throw new Error(`refusing a non-loopback stack address: ${url}`);
  }
  execFileSync('node', [join(ROOT, 'apps/api/dist/main.cli.js'), 'topics', 'ensure', '--quiet'], { env: serviceEnv({ KAFKA_TOPIC_PREFIX: PREFIX }) });

  fake = new FakeResend();
  await fake.start();
  const database = createDatabase(env.databaseUrl, { max: 4, applicationName: 'bench-e2e' });
  const box = new SecretBox(parseKeyring(env.raw.CREDENTIALS_KEYS));
  const tenants = [];
  for (let i = 0; i < S.tenants; i++) {
    const key = generateApiKey('live');
    const { tenant } = await withOperator(database, 'bench', (tx) =>
      insertTenantWithApiKey(tx, {
        name: `bench-e2e-${randomUUID()}`,
        rateLimitPerMinute: 10_000_000,
        burst: 1_000_000,
        dailyCap: 2_000_000_000,
        apiKeyHash: key.hash,
        displayPrefix: key.displayPrefix,
      }),
    );
    const configId = randomUUID();
    await withOperator(
      database,
      'bench',
      (tx) =>
        tx.db
          .insertInto('provider_configs')
          .values({
            id: configId,
            tenant_id: tenant.id,
            channel: 'EMAIL',
            provider: 'resend',
            base_url_override: fake.url,
            credentials_ciphertext: box.encrypt(JSON.stringify({ apiKey: fake.apiKey, fromAddress: 'orders@shop.example' }), { purpose: 'provider_credentials', tenantId: tenant.id, rowId: configId }),
            credentials_last4: 'test',
          })
          .execute(),
      { tenantId: tenant.id },
    );
    tenants.push({ id: tenant.id, apiKey: key.plaintext });
  }

  const apiPort = await freePort();
  const gatewayPort = await freePort();
  const common = { KAFKA_TOPIC_PREFIX: PREFIX, LOG_LEVEL: 'warn', NODE_ENV: 'test' };
  const api = `http://127.0.0.1:${apiPort}`;
  started.push(await startService(join(ROOT, 'apps/api/dist/main.api.js'), serviceEnv({ ...common, API_PORT: String(apiPort) }), async () => (await fetch(`${api}/health/ready`).catch(() => undefined))?.ok === true, 'api'));
  started.push(await startService(join(ROOT, 'apps/api/dist/main.worker.js'), serviceEnv(common), async () => true, 'worker'));
  started.push(
    await startService(
      join(ROOT, 'apps/gateway/dist/main.js'),
      serviceEnv({ ...common, GATEWAY_PORT: String(gatewayPort), ALLOW_PRIVATE_PROVIDER_URLS: 'true', CONCURRENCY: '128', TENANT_INFLIGHT_CAP: '256' }),
      async () => (await fetch(`http://127.0.0.1:${gatewayPort}/health/ready`).catch(() => undefined))?.ok === true,
      'gateway',
    ),
  );
  const meter = cpuMeter({
    api: started[0].child.pid,
    worker: started[1].child.pid,
    gateway: started[2].child.pid,
    kafka: STACK_PROCESSES.kafka,
    postgres: STACK_PROCESSES.postgres,
    redis: STACK_PROCESSES.redis,
    'bench (load + fake vendor)': process.pid,
  });
  const before = meter.snapshot();

  const agent = new Agent({ connections: S.concurrency, pipelining: 1 });
  const body = (i) =>
    JSON.stringify({
      eventType: 'global.info',
      channels: ['EMAIL'],
      payload: { userId: `user-${i % 500}`, recipientEmail: `user${i}@example.com` },
      variables: { title: `Order ${i} confirmed`, message: 'Your order is on its way. Thank you for shopping with us.' },
    });
  let next = 0;
  let accepted = 0;
  let errors = 0;
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: S.concurrency }, async () => {
      for (;;) {
        const i = next++;
        if (i >= S.events) return;
        const tenant = tenants[i % tenants.length];
        const res = await request(`${api}/api/v1/events/trigger`, {
          method: 'POST',
          dispatcher: agent,
          headers: { 'content-type': 'application/json', 'x-api-key': tenant.apiKey },
          body: body(i),
        }).catch(() => undefined);
        if (res) await res.body.dump();
        if (res?.statusCode === 200) accepted++;
        else errors++;
      }
    }),
  );
  const tAccepted = Date.now();
  log(`${accepted} accepted (${errors} errors) in ${((tAccepted - t0) / 1000).toFixed(1)} s; waiting for delivery`);

  const ids = tenants.map((t) => t.id);
  // Counted as an operator (across the bench tenants), through the services' role and its RLS policies.
  const sent = () =>
    withOperator(database, 'bench', async (tx) =>
      Number((await tx.db.selectFrom('notification_logs').select((eb) => eb.fn.countAll().as('n')).where('tenant_id', 'in', ids).where('status', '=', 'SENT').executeTakeFirst())?.n ?? 0),
    );
  let delivered = 0;
  while (delivered < accepted) {
    await new Promise((r) => setTimeout(r, 100));
    delivered = await sent();
  }
  const tDone = Date.now();
  const seconds = (tDone - t0) / 1000;
  const cpu = meter.since(before, seconds);
  const latency = await withOperator(database, 'bench', async (tx) =>
    (
      await sql`SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99
                  FROM (SELECT extract(epoch FROM (sent_at - received_at)) * 1000 AS ms FROM notification_logs
                         WHERE tenant_id = ANY(${ids}::uuid[]) AND status = 'SENT') s`.execute(tx.db)
    ).rows[0],
  );
  const rate = delivered / seconds;
  const result = {
    events: S.events,
    accepted,
    errors,
    acceptSeconds: (tAccepted - t0) / 1000,
    seconds,
    rate,
    vendorAccepted: fake.acceptedSends(),
    p50: Number(latency.p50),
    p99: Number(latency.p99),
    cpu,
  };
  await database.close();
  await cleanUp();
  report(result);
}

function report(r) {
  const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  const md = [
    '## End-to-end delivery',
    '',
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC with \`npm run bench:e2e\` (BENCH_EVENTS=${r.events}, BENCH_TENANTS=${S.tenants}, BENCH_CONCURRENCY=${S.concurrency}).`,
    `Machine: ${machine}. Every process on this one host: PostgreSQL, Redis, Kafka, the API, the worker, the gateway, and the load generator with the fake Resend in one process.`,
    '',
    'Path: HTTP trigger → API → Kafka → worker (render, log row) → Kafka → gateway (claim, send, record) → fake vendor 2xx → SENT.',
    '',
    '| figure | value | target | |',
    '|---|---|---|---|',
    `| delivery rate (trigger of the first → SENT of the last) | **${Math.round(r.rate)} notifications/s** | ≥ ${TARGET}/s | ${r.rate >= TARGET ? 'met' : `missed by ${Math.round(TARGET - r.rate)}/s (${Math.round((100 * r.rate) / TARGET)}% of target)`} |`,
    `| events accepted / errors | ${r.accepted} / ${r.errors} (accepted in ${r.acceptSeconds.toFixed(1)} s) | | |`,
    `| SENT / sends the vendor accepted | ${Math.round(r.rate * r.seconds)} / ${r.vendorAccepted} | equal (no double send) | ${Math.round(r.rate * r.seconds) === r.vendorAccepted ? 'equal' : 'differ'} |`,
    `| per-notification latency, accepted → SENT | p50 ${Math.round(r.p50)} ms, p99 ${Math.round(r.p99)} ms (under saturation) | | |`,
    '',
    '| process | CPU (% of one core, over the run) |',
    '|---|---|',
    ...Object.entries(r.cpu).map(([k, v]) => `| ${k} | ${Math.round(v)}% |`),
    '',
  ].join('\n');
  process.stdout.write(`${md}\n`);
  if (!S.writeDoc) return;
  writeSection(ROOT, 'End-to-end delivery', md);
}

main().catch(async (error) => {
  log('failed:', error?.stack ?? error);
  await cleanUp();
  process.exit(1);
});
