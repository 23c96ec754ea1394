// npm run bench:observability — CPU that metrics and tracing add to one API request, measured in
// one process with process.cpuUsage() (CPU time, so a busy machine distorts it far less than a
// throughput figure). Three modes, each in a fresh child process, repeated BENCH_ROUNDS times in
// turn: `before` = a bare Fastify route (what the trigger path had before issue 14); `off` = the
// same route with the API's HTTP metrics and span hooks and the Kafka publish's span/header
// step, tracing off (the default); `on` = the same with tracing on, exporting over OTLP/HTTP
// JSON to a sink in another process (infra/observability/otlp-sink.mjs). The route itself does
// nothing else, so the differences are the instrumentation's own cost. `metrics` = the HTTP
// metrics hooks alone (tracing off, no publish step): `off` − `metrics` is what tracing costs
// while it is off.
// Knobs: BENCH_REQUESTS=20000 BENCH_ROUNDS=3.
import { fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const requests = Number(process.env.BENCH_REQUESTS ?? 20_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

async function child(mode, endpoint) {
  const { default: Fastify } = await import('fastify');
  const { ServiceMetrics } = await import(join(ROOT, 'apps/api/dist/platform/observability/service-metrics.js'));
  const { observeHttp } = await import(join(ROOT, 'apps/api/dist/platform/observability/http-observability.js'));
  const { startTracing } = await import(join(ROOT, 'packages/telemetry/dist/index.js'));
  const { startProduceSpans } = await import(join(ROOT, 'packages/bus/dist/trace-context.js'));
  const tracing = await startTracing({ serviceName: 'bench', otlpEndpoint: mode === 'on' ? endpoint : undefined });
  const fastify = Fastify();
  const instrumented = mode === 'off' || mode === 'on';
  if (mode !== 'before') observeHttp(fastify, new ServiceMetrics(), { tracing: tracing.enabled });
  fastify.post('/api/v1/events/trigger', async () => {
    if (instrumented) {
      // What BusProducer.publish adds per message: the PRODUCER span and the headers it writes.
      const produce = startProduceSpans('bench.tenant.event.received', [undefined]);
      const headers = { ...produce.headers[0], 'x-trace-id': 'bench' };
      produce.end();
      return { success: true, headers: Object.keys(headers).length };
    }
    return { success: true, headers: 1 };
  });
  await fastify.ready();
  const run = async (n) => {
    for (let i = 0; i < n; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, () => fastify.inject({ method: 'POST', url: '/api/v1/events/trigger', payload: { eventType: 'x' } })),
      );
    }
  };
  await run(2_000); // warm-up: JIT, caches
  const before = process.cpuUsage();
  await run(requests);
  const used = process.cpuUsage(before);
  await tracing.shutdown();
  return (used.user + used.system) / requests;
}

if (process.argv[2] === 'child') {
  process.send(await child(process.argv[3], process.argv[4]));
  process.exit(0);
}

const sink = spawn(process.execPath, [join(ROOT, 'infra/observability/otlp-sink.mjs'), '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
// The sink prints its address once listening (port 0 = a free one).
const [line] = await once(sink.stdout, 'data');
const endpoint = /http:\/\/[^/\s]+/.exec(String(line))[0];
const MODES = ['before', 'metrics', 'off', 'on'];
const results = Object.fromEntries(MODES.map((m) => [m, []]));
for (let r = 0; r < rounds; r++) {
  for (const mode of MODES) {
    const c = fork(fileURLToPath(import.meta.url), ['child', mode, endpoint], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const [us] = await once(c, 'message');
    results[mode].push(us);
    await once(c, 'exit');
  }
}
sink.kill('SIGTERM');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x) => x.toFixed(1);
process.stdout.write(`CPU per request (µs, median of ${rounds} rounds of ${requests} requests; all rounds in brackets)\n`);
for (const mode of MODES)
  process.stdout.write(`  ${mode.padEnd(6)} ${fmt(median(results[mode]))}  [${results[mode].map(fmt).join(', ')}]\n`);
process.stdout.write(
  `  metrics: +${fmt(median(results.metrics) - median(results.before))} µs; tracing while off: ${fmt(median(results.off) - median(results.metrics))} µs; tracing on: +${fmt(median(results.on) - median(results.off))} µs\n`,
);
