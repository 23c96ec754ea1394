// npm run bench:push — real-time push latency: from the moment a trigger request is sent to the
// moment its frame arrives at a connected WebSocket client, through API → Kafka → worker → Kafka →
// gateway → Centrifugo → client. Everything co-located on this machine, loopback only, bounded
// (BENCH_SECONDS per rate, BENCH_MAX_MINUTES overall); every process it starts is stopped at the end.
//
// It uses the tests' database and its own topics (prefix `bench-push.`), starts the built API,
// worker and gateway as separate processes, connects BENCH_CLIENTS clients with the official
// `centrifuge` package (tokens from POST /api/v1/auth/realtime-token), then triggers PUSH events
// at each rate of BENCH_RATES (open loop: sends are scheduled, not paced by answers), each to a
// random connected user. The same again with the delivery floor (bench/e2e/floor.mjs: one claim
// statement, the inbox rows and one Centrifugo batch request per fetched batch) in place of the
// gateway, for the ratio to the floor. All of it BENCH_RUNS times (default 3; each run and target
// from empty topics, with fresh processes and tenants): every figure is the median of the runs with the range. CPU of every process is
// read from /proc over each phase (bench/lib/host.mjs) and given as CPU-µs per received push.
// Figures go to the `## Real-time push` section of docs/benchmarks.md.
//
// Knobs: BENCH_RATES=100,1000 BENCH_SECONDS=15 BENCH_WARMUP_RATE=50 BENCH_WARMUP_SECONDS=20 BENCH_CLIENTS=200 BENCH_TENANTS=10 BENCH_RUNS=3 BENCH_TARGETS=gateway,floor BENCH_MAX_MINUTES=30 BENCH_WRITE_DOC=1
// BENCH_PROFILE_DIR=<dir> (V8 CPU profiles of the API, worker and gateway, written when they stop)
import { execFileSync, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Admin } from '@platformatic/kafka';
import { Centrifuge } from 'centrifuge';
import { Agent, request } from 'undici';
import WebSocket from 'ws';
import { createDatabase, insertTenantWithApiKey, withOperator } from '@orqestra/db';
import { freePort, serviceEnv, stackEnv, startService } from '@orqestra/testing';
import { generateApiKey } from '../../apps/api/dist/platform/api-keys.js';
import {
  cpuMeter,
  fmtRange,
  loadAverage,
  machineInfo,
  orderedNames,
  percentOfCore,
  perUnit,
  STACK_PROCESSES,
  stats,
  writeSection,
} from '../lib/host.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const num = (name, fallback) => (process.env[name] ? Number(process.env[name]) : fallback);
const S = {
  rates: (process.env.BENCH_RATES ?? '100,1000').split(',').map(Number),
  seconds: num('BENCH_SECONDS', 15),
  clients: num('BENCH_CLIENTS', 200),
  tenants: num('BENCH_TENANTS', 10),
  runs: num('BENCH_RUNS', 3),
  targets: (process.env.BENCH_TARGETS ?? 'gateway,floor').split(','),
  maxMinutes: num('BENCH_MAX_MINUTES', 30),
  writeDoc: process.env.BENCH_WRITE_DOC !== '0',
  profileDir: process.env.BENCH_PROFILE_DIR,
  warmupRate: num('BENCH_WARMUP_RATE', 50),
  warmupSeconds: num('BENCH_WARMUP_SECONDS', 20),
};
const PREFIX = 'bench-push.';
const TARGETS = { 100: { p50: 25, p99: 75 }, 1000: { p99: 250 } };
const DRAIN_MS = 15_000;
const log = (...a) => process.stderr.write(`[bench:push] ${a.join(' ')}\n`);

const started = [];
const clients = [];
async function cleanUp() {
  for (const client of clients.splice(0)) client.disconnect();
  await Promise.all(started.splice(0).map((p) => p.stop().catch(() => {})));
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => void cleanUp().finally(() => process.exit(130)));
const hardStop = setTimeout(() => {
  log(`over ${S.maxMinutes} minutes: stopping`);
  void cleanUp().finally(() => process.exit(2));
}, S.maxMinutes * 60_000);
hardStop.unref();

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main() {
  const machine = machineInfo(ROOT);
  const loadBefore = loadAverage();
  const runs = [];
  for (let run = 1; run <= S.runs; run++) {
    const phases = [];
    for (const target of S.targets) {
      log(`run ${run} of ${S.runs}, ${target}; load ${loadAverage()}`);
      phases.push(...(await runOnce(target)).map((p) => ({ ...p, target })));
    }
    runs.push(phases);
  }
  report(runs, { machine, loadBefore, loadAfter: loadAverage() });
}

/** The floor as the deliverer, forked (IPC tells when its consumer runs). */
async function startFloor(env) {
  const child = fork(join(ROOT, 'bench/e2e/floor.mjs'), [], {
    env: serviceEnv({
      KAFKA_TOPIC_PREFIX: PREFIX,
      KAFKA_BROKERS: env.kafkaBrokers.join(','),
      FLOOR_GROUP: 'floor',
      CENTRIFUGO_URL: env.centrifugoUrl,
      CENTRIFUGO_API_KEY: env.centrifugoApiKey,
    }),
    execArgv: S.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${S.profileDir}`] : [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await new Promise((resolve, reject) => {
    child.once('message', resolve);
    void exited.then((code) => reject(new Error(`floor exited (${code}) while starting`)));
  });
  return {
    child,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 12_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** One run with one deliverer (the gateway or the floor): fresh topics, tenants, processes and clients; warm-up, then each rate. */
async function runOnce(target) {
  const env = stackEnv();
  for (const url of [env.databaseUrl, env.redisUrl, env.centrifugoUrl, ...env.kafkaBrokers.map((b) => `tcp://${b}`)]) {
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname))
      throw new Error(`refusing a non-loopback stack address: ${url}`);
  }
  // A phase the machine cannot keep up with leaves a backlog behind: start every run from empty topics and groups.
  await dropBenchTopics(env.kafkaBrokers);
  execFileSync('node', [join(ROOT, 'apps/api/dist/main.cli.js'), 'topics', 'ensure', '--quiet'], {
    env: serviceEnv({ KAFKA_TOPIC_PREFIX: PREFIX }),
  });

  const database = createDatabase(env.databaseUrl, { max: 2, applicationName: 'bench-push' });
  const tenants = [];
  for (let i = 0; i < S.tenants; i++) {
    const key = generateApiKey('live');
    const { tenant } = await withOperator(database, 'bench', (tx) =>
      insertTenantWithApiKey(tx, {
        name: `bench-push-${randomUUID()}`,
        rateLimitPerMinute: 10_000_000,
        burst: 1_000_000,
        dailyCap: 2_000_000_000,
        apiKeyHash: key.hash,
        displayPrefix: key.displayPrefix,
      }),
    );
    tenants.push({ id: tenant.id, apiKey: key.plaintext });
  }

  const [apiPort, gatewayPort] = [await freePort(), await freePort()];
  const common = {
    KAFKA_TOPIC_PREFIX: PREFIX,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'test',
    REALTIME_TOKEN_RATE_PER_MINUTE: '100000',
  };
  const api = `http://127.0.0.1:${apiPort}`;
  // BENCH_PROFILE_DIR=/some/dir: each service writes a V8 CPU profile there when it stops.
  const nodeArgs = S.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${S.profileDir}`] : [];
  const ready = (url) => async () => (await fetch(`${url}/health/ready`).catch(() => undefined))?.ok === true;
  started.push(
    await startService(
      join(ROOT, 'apps/api/dist/main.api.js'),
      serviceEnv({ ...common, API_PORT: String(apiPort) }),
      ready(api),
      'api',
      nodeArgs,
    ),
  );
  started.push(await startService(join(ROOT, 'apps/api/dist/main.worker.js'), serviceEnv(common), async () => true, 'worker', nodeArgs));
  started.push(
    target === 'floor'
      ? await startFloor(env)
      : await startService(
          join(ROOT, 'apps/gateway/dist/main.js'),
          serviceEnv({ ...common, GATEWAY_PORT: String(gatewayPort), SWEEPER_INTERVAL_MS: '3600000' }),
          ready(`http://127.0.0.1:${gatewayPort}`),
          'gateway',
          nodeArgs,
        ),
  );

  // Connected users: a token from the API (as a tenant backend gets one), one client each.
  const sentAt = new Map(); // seq → performance.now() when the trigger request was sent
  const latencies = new Map(); // seq → ms
  const users = [];
  const websocketUrl = `${env.centrifugoUrl.replace(/^http/, 'ws')}/connection/websocket`;
  for (let i = 0; i < S.clients; i++) {
    const tenant = tenants[i % tenants.length];
    const userId = `push-user-${i}`;
    const response = await fetch(`${api}/api/v1/auth/realtime-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': tenant.apiKey },
      body: JSON.stringify({ userId }),
    });
    if (!response.ok) throw new Error(`realtime-token answered ${response.status}`);
    const { token, channels } = await response.json();
    const client = new Centrifuge(websocketUrl, { token, websocket: WebSocket });
    clients.push(client);
    const subscription = client.newSubscription(channels[0]);
    subscription.on('publication', (ctx) => {
      const seq = Number(String(ctx.data.title).split('#')[1]);
      const t0 = sentAt.get(seq);
      if (t0 !== undefined && !latencies.has(seq)) latencies.set(seq, performance.now() - t0);
    });
    const subscribed = new Promise((resolve, reject) => {
      subscription.once('subscribed', resolve);
      subscription.once('error', (ctx) => reject(new Error(ctx.error.message)));
    });
    subscription.subscribe();
    client.connect();
    await subscribed;
    users.push({ tenant, userId });
  }
  log(`${users.length} clients connected across ${tenants.length} tenants`);

  const agent = new Agent({ connections: 128, pipelining: 1 });
  let seq = 0;
  let httpErrors = 0;
  const fire = (n) => {
    const user = users[Math.floor(Math.random() * users.length)];
    const body = JSON.stringify({
      eventType: 'global.info',
      channels: ['PUSH'],
      payload: { userId: user.userId },
      variables: { title: `bench#${n}`, message: 'Your report is ready.' },
    });
    sentAt.set(n, performance.now());
    return request(`${api}/api/v1/events/trigger`, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/json', 'x-api-key': user.tenant.apiKey },
      body,
    })
      .then(async (res) => {
        await res.body.dump();
        if (res.statusCode !== 200) httpErrors++;
      })
      .catch(() => httpErrors++);
  };

  const meter = cpuMeter({
    api: started[0].child.pid,
    worker: started[1].child.pid,
    [target]: started[2].child.pid,
    'load generator': process.pid,
    ...STACK_PROCESSES,
  });

  /** One open-loop phase: each send at its scheduled time (batches every 5 ms), then a bounded drain. */
  const phase = async (rate, seconds) => {
    const first = seq;
    const total = Math.round(rate * seconds);
    const loadStart = loadAverage();
    const before = meter.snapshot();
    const t0 = performance.now();
    httpErrors = 0;
    const inFlight = [];
    let sent = 0;
    while (sent < total) {
      const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate) + 1);
      while (sent < due) {
        inFlight.push(fire(seq++));
        sent++;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    const sendSeconds = (performance.now() - t0) / 1000;
    await Promise.all(inFlight);
    await waitFor(() => countBetween(latencies, first, seq) >= total, DRAIN_MS);
    const used = meter.between(before);
    const values = [];
    for (let n = first; n < seq; n++) if (latencies.has(n)) values.push(latencies.get(n));
    values.sort((a, b) => a - b);
    return {
      rate,
      total,
      achievedRate: total / sendSeconds,
      received: values.length,
      httpErrors,
      p50: percentile(values, 50),
      p90: percentile(values, 90),
      p99: percentile(values, 99),
      max: values[values.length - 1],
      cpu: percentOfCore(used),
      // Per push that arrived: what did not arrive within the phase and its drain is not counted.
      us: perUnit(used, values.length),
      loadStart,
    };
  };

  // Warm-up (not reported): JIT, connection pools, consumer assignments, PostgreSQL's caches.
  // Measured without it, the first phase reports the cold start rather than the steady state.
  const warm = await phase(S.warmupRate, S.warmupSeconds);
  log(`warm-up ${S.warmupRate}/s for ${S.warmupSeconds} s: p50 ${warm.p50?.toFixed(1)} ms (not reported)`);

  const phases = [];
  for (const rate of S.rates) {
    const result = await phase(rate, S.seconds);
    phases.push(result);
    log(`${rate}/s: ${result.received}/${result.total} received, p50 ${result.p50?.toFixed(1)} ms, p99 ${result.p99?.toFixed(1)} ms`);
  }
  await agent.close();
  await cleanUp();
  await withOperator(database, 'bench', (tx) =>
    tx.db
      .deleteFrom('tenants')
      .where(
        'id',
        'in',
        tenants.map((t) => t.id),
      )
      .execute(),
  ).catch((error) => log('deleting tenants failed:', error.message));
  await database.close();
  return phases;
}

async function dropBenchTopics(brokers) {
  const admin = new Admin({ clientId: 'bench-push-admin', bootstrapBrokers: brokers });
  try {
    const groups = [...(await admin.listGroups()).keys()].filter((group) => group.startsWith(PREFIX));
    if (groups.length > 0) await admin.deleteGroups({ groups });
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(PREFIX));
    if (topics.length > 0) await admin.deleteTopics({ topics });
    await waitFor(async () => !(await admin.listTopics()).some((topic) => topic.startsWith(PREFIX)), 30_000);
  } finally {
    await admin.close();
  }
}

function countBetween(map, from, to) {
  let n = 0;
  for (let i = from; i < to; i++) if (map.has(i)) n++;
  return n;
}

async function waitFor(check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

function report(runs, { machine, loadBefore, loadAfter }) {
  const ms =
    (digits = 1) =>
    (values) =>
      fmtRange(values, digits);
  const series = (rate, target) => runs.map((phases) => phases.find((p) => p.rate === rate && p.target === target)).filter(Boolean);
  const targets = S.targets;
  const keys = [...new Set(runs.flat().flatMap((p) => Object.keys(p.us)))].filter((k) => k !== 'machine' && k !== 'other');
  const columns = [...orderedNames(keys), 'other', 'machine'];
  const ratio = (rate, f) => {
    const g = series(rate, 'gateway');
    const fl = series(rate, 'floor');
    return g.map((p, i) => (fl[i] ? f(p) / f(fl[i]) : NaN));
  };
  const verdicts = (rate) => {
    const target = TARGETS[rate];
    if (!target) return '';
    return Object.entries(target)
      .map(([k, limit]) => {
        const m = stats(series(rate, 'gateway').map((p) => p[k])).median;
        return `${k} ≤ ${limit} ms: ${m <= limit ? 'met' : `**missed** by ${(m - limit).toFixed(1)} ms (${(m / limit).toFixed(1)}×)`}`;
      })
      .join('; ');
  };
  const rows = [];
  for (const rate of S.rates) {
    for (const target of targets) {
      const rs = series(rate, target);
      if (rs.length === 0) continue;
      const withFloor = target === 'gateway' && targets.includes('floor');
      rows.push(
        `| ${rate}/s | ${target} | ${fmtRange(rs.map((p) => p.achievedRate))}/s | ${rs.map((p) => `${p.total} / ${p.received}`).join('; ')} | ${rs.map((p) => p.httpErrors).join('; ')} | ${ms()(rs.map((p) => p.p50))} | **${ms()(rs.map((p) => p.p99))}** | ${ms()(rs.map((p) => p.max))} | ${fmtRange(rs.map((p) => p.us.machine))} | ${
          withFloor
            ? `${fmtRange(
                ratio(rate, (p) => p.us.machine),
                2,
              )} (CPU), ${fmtRange(
                ratio(rate, (p) => p.p99),
                1,
              )} (p99)`
            : '—'
        } | ${target === 'gateway' ? verdicts(rate) : ''} | ${rs.map((p) => p.loadStart.split(' / ')[0]).join('; ')} |`,
      );
    }
  }
  const cpuRows = (f) =>
    S.rates.flatMap((rate) =>
      targets
        .filter((t) => series(rate, t).length)
        .map((t) => `| ${rate}/s | ${t} | ${columns.map((k) => fmtRange(series(rate, t).map((p) => f(p)[k]))).join(' | ')} |`),
    );
  const md = [
    '## Real-time push',
    '',
    `Generated by \`npm run bench:push\` (bench/push/run.mjs) on ${machine.date}; re-running replaces this section. Every figure is the **median of ${runs.length} run${runs.length === 1 ? '' : 's'}, with the range in brackets**; each run of each deliverer starts from empty \`bench-push.*\` topics with fresh processes, tenants and clients, and a warm-up of ${S.warmupSeconds} s at ${S.warmupRate}/s that is not reported.`,
    '',
    `- **Command:** \`npm run bench:push\` = \`bash infra/with-env.sh node bench/push/run.mjs\`; BENCH_RATES=${S.rates.join(',')} BENCH_CLIENTS=${S.clients} BENCH_TENANTS=${S.tenants} BENCH_SECONDS=${S.seconds} BENCH_RUNS=${S.runs} BENCH_TARGETS=${targets.join(',')}.`,
    `- **Code:** commit ${machine.commit}${machine.dirty ? ' with uncommitted changes in apps/ or packages/ (the built dist/ was measured)' : ''}: the pipeline as it was then (others are reshaping it; re-run for current figures).`,
    `- **Machine:** ${machine.describe()}. Every process on this one host: PostgreSQL, Redis, Kafka, Centrifugo, the API, the worker, the deliverer, the shared stack's own idle apps ("stack apps"), and one bench process that both sends the triggers and holds the ${S.clients} WebSocket clients (official \`centrifuge\` package) — "load generator" below.`,
    `- **Load average** (\`uptime\`) before: ${loadBefore}; after: ${loadAfter}; 1-minute load at the start of each phase, per run, in the table.`,
    '- **Latency** = from sending the trigger request to the publication arriving at the subscribed client: API → Kafka → worker (render, log and inbox rows) → Kafka → deliverer (claim, inbox row, publish) → Centrifugo → WebSocket. Open-loop load: sends are scheduled at the rate, not paced by answers; each phase waits up to 15 s after its last send for what is still on its way.',
    '- **Deliverers.** *gateway* = apps/gateway/dist/main.js as deployed. *floor* = bench/e2e/floor.mjs in place of the gateway (same API, worker and everything else): the same Kafka consumer, per fetched batch one claim statement with the inbox rows in its transaction, one Centrifugo `/api/batch` request with every publication, one outcome transaction, then the offset commit. *ratio* = gateway ÷ floor in the same run.',
    "- **CPU** is from /proc/<pid>/stat over each phase, as **CPU-µs per push received** (what never arrived is not in the denominator); *machine* is every CPU's busy time (everything on the host), *other* = machine − the listed processes.",
    '',
    '| rate | deliverer | achieved | sent / received (per run) | HTTP errors | p50 ms | p99 ms | max ms | machine CPU-µs / push | ratio to floor | targets (median) | load avg at start (per run) |',
    '|---|---|---:|---|---|---:|---:|---:|---:|---|---|---|',
    ...rows,
    '',
    'CPU-µs per push received, by process (median, range):',
    '',
    `| rate | deliverer | ${columns.join(' | ')} |`,
    `|---|---|${columns.map(() => '---:|').join('')}`,
    ...cpuRows((p) => p.us),
    '',
    `The same as % of one core over the phase (this machine has ${machine.nproc}; *machine* is all of them together):`,
    '',
    `| rate | deliverer | ${columns.join(' | ')} |`,
    `|---|---|${columns.map(() => '---:|').join('')}`,
    ...cpuRows((p) => p.cpu),
    '',
  ].join('\n');
  process.stdout.write(`${md}\n`);
  if (!S.writeDoc) return;
  writeSection(ROOT, 'Real-time push', md);
}

main().catch(async (error) => {
  log('failed:', error?.stack ?? error);
  await cleanUp();
  process.exit(1);
});
