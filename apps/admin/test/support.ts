import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { freePort, pollUntil, serviceEnv, stackEnv } from '@orqestra/testing';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const NEXT = `${root}node_modules/next/dist/bin/next`;
const CLI = `${root}apps/api/dist/main.cli.js`;
const API = `${root}apps/api/dist/main.api.js`;
const WORKER = `${root}apps/api/dist/main.worker.js`;
const GATEWAY = `${root}apps/gateway/dist/main.js`;

export interface Servers {
  apiUrl: string;
  consoleUrl: string;
  stop(): Promise<void>;
}

/**
 * The suite's own API (development flag for the fake vendors' loopback URLs) and worker, and the
 * built console (`next start`, as npm run up runs it) on free ports, the console forwarding to that
 * API. A serial suite (like the demo-inbox browser test): a browser plus a Next server is heavy on a
 * machine shared with the parallel suites. Options: `apiEnv` adds API settings (trusted proxy hops);
 * `worker: false` leaves the worker out where nothing is delivered; `gateway` adds a gateway (fast
 * retries, no sweeper) so that notifications are really sent, on topics of the suite's own
 * (`topicPrefix`, created here) so that no other process consumes them; `probes` gives the worker an
 * operations port and names it and the gateway's in the API's SYSTEM_PROBE_URLS (the System page).
 */
export async function startServers(
  options: { apiEnv?: Record<string, string>; worker?: boolean; gateway?: { topicPrefix: string }; probes?: boolean } = {},
): Promise<Servers> {
  const [apiPort, consolePort, gatewayPort, workerPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  // `probes`: the worker serves its operations endpoint, and the API's System page probes it and the gateway's.
  const probes: Record<string, string> = options.probes
    ? { SYSTEM_PROBE_URLS: `worker=http://127.0.0.1:${workerPort},gateway=http://127.0.0.1:${gatewayPort}` }
    : {};
  const workerEnv: Record<string, string> = options.probes ? { WORKER_PORT: String(workerPort) } : {};
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const consoleUrl = `http://127.0.0.1:${consolePort}`;
  const topics: Record<string, string> = {};
  if (options.gateway) {
    const env = stackEnv();
    const { ensureTopics } = await import('@orqestra/bus');
    await withDeadline(
      ensureTopics({
        brokers: env.kafkaBrokers,
        partitions: env.kafkaTopicPartitions,
        replicas: 1,
        topicPrefix: options.gateway.topicPrefix,
      }),
      60_000,
      'creating the suite topics',
    );
    topics.KAFKA_TOPIC_PREFIX = options.gateway.topicPrefix;
  }
  const started = await Promise.allSettled([
    spawnServer(
      'api',
      [API],
      serviceEnv({
        API_PORT: String(apiPort),
        ALLOW_PRIVATE_PROVIDER_URLS: 'true',
        ADMIN_UI_ORIGIN: consoleUrl,
        ...topics,
        ...probes,
        ...options.apiEnv,
      }),
      `${apiUrl}/health/ready`,
    ),
    options.worker === false
      ? null
      : spawnServer(
          'worker',
          [WORKER],
          serviceEnv({ ...topics, ...workerEnv }),
          options.probes ? `http://127.0.0.1:${workerPort}/health/live` : null,
        ),
    options.gateway
      ? spawnServer(
          'gateway',
          [GATEWAY],
          serviceEnv({
            ...topics,
            ALLOW_PRIVATE_PROVIDER_URLS: 'true',
            GATEWAY_PORT: String(gatewayPort),
            SWEEPER_INTERVAL_MS: '3600000',
            RETRY_SCHEDULE: '100ms,200ms',
            RETRY_JITTER: '0',
          }),
          `http://127.0.0.1:${gatewayPort}/health/ready`,
        )
      : null,
    startConsole(apiUrl, consolePort),
  ]);
  const running = started.flatMap((s) => (s.status === 'fulfilled' && s.value ? [s.value] : []));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await Promise.all(running.map((r) => r.stop()));
    throw failed.reason;
  }
  return { apiUrl, consoleUrl, stop: async () => void (await Promise.all(running.map((r) => r.stop()))) };
}

/** The built console (`next start`) on 127.0.0.1:`port`, forwarding /api/* to `apiUrl`. */
export function startConsole(apiUrl: string, port: number): Promise<Running> {
  return spawnServer(
    'console (next start)',
    [NEXT, 'start', `${root}apps/admin`, '-H', '127.0.0.1', '-p', String(port)],
    { PATH: serviceEnv().PATH ?? '', NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', ADMIN_API_URL: apiUrl },
    `http://127.0.0.1:${port}/healthz`,
  );
}

export interface Running {
  stop(): Promise<void>;
}

/**
 * `node <args>` as its own process, ready when `ready` (a URL) answers 2xx (null: once it runs, like
 * the worker, whose consumers the tests wait for through what they produce); a generous deadline.
 */
async function spawnServer(name: string, args: string[], env: Record<string, string>, ready: string | null): Promise<Running> {
  const child: ChildProcess = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const reap = () => child.kill('SIGKILL');
  process.once('exit', reap);
  // SIGTERM, and SIGKILL if the process is still there 10 s later: stopping never hangs the suite.
  const stop = () =>
    new Promise<void>((resolve) => {
      process.off('exit', reap);
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
  try {
    const isReady = async () =>
      ready === null || (await fetch(ready, { signal: AbortSignal.timeout(5_000) }).catch(() => undefined))?.ok === true;
    await pollUntil(async () => child.exitCode === null && (await isReady()), {
      until: (ok) => ok || child.exitCode !== null,
      timeoutMs: 120_000,
      intervalMs: 200,
      what: name,
    });
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${output}`);
  }
  return { stop };
}

/** The operator CLI, as an operator creates the first platform operator (there is no API route for it). */
export async function createOperator(username: string, password: string): Promise<void> {
  await promisify(execFile)('node', [CLI, 'operator', 'create', '--username', username, '--password', password, '--quiet'], {
    env: serviceEnv() as NodeJS.ProcessEnv,
    timeout: 60_000,
  });
}

/** Debian's Chromium, headless, never a downloaded browser; each context gets a fresh profile. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    timeout: 60_000,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Settles like `work`, or rejects with a message naming `what` once `ms` have passed: no wait in this
 * suite may hang until the runner's own timeout (which says only that a test took too long).
 */
export async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${Math.round(ms / 1000)} s`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The axe-core script AxeBuilder injects into every frame, preceded by a probe that throws in a frame
 * that runs no page script. Why: the console shows tenant HTML in `<iframe sandbox="">` (no
 * allow-scripts). DevTools evaluation is exempt from the sandbox, so @axe-core/playwright 4.13 injects
 * axe into such a frame without error and then awaits axe.runPartial() there, which never settles:
 * axe's rule queue continues through timer and event callbacks, and a frame without scripts never runs
 * them. analyze() then waited forever (the template editor and lifecycle tests hung to the runner's
 * timeout). When the injection throws, AxeBuilder skips the frame as it does a frame it cannot reach;
 * @axe-core/playwright 4.14 added the same kind of check. The probe is a listener: a frame that runs
 * listeners runs axe's callbacks too. The axe-core is the one @axe-core/playwright itself depends on.
 */
const AXE_SOURCE = [
  "(function () { var ran = false; var probe = document.createElement('span');",
  "probe.addEventListener('orqestra-axe-probe', function () { ran = true; });",
  "probe.dispatchEvent(new Event('orqestra-axe-probe'));",
  "if (!ran) throw new Error('this frame runs no scripts (a sandboxed preview): not analysed'); })();",
  (createRequire(createRequire(import.meta.url).resolve('@axe-core/playwright'))('axe-core') as { source: string }).source,
].join('\n');

/** Zero WCAG 2 A/AA violations on what the page shows now (within a minute: the analysis has a deadline). */
export async function expectAccessible(page: Page): Promise<void> {
  const result = await withDeadline(
    new AxeBuilder({ page, axeSource: AXE_SOURCE }).withTags(['wcag2a', 'wcag2aa']).analyze(),
    60_000,
    `axe analysis of ${page.url()}`,
  );
  const summary = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(summary, `axe on ${page.url()}`).toEqual([]);
}

/** A JSON call to the API, as a seed step (through the API, never the database). */
export async function api<T = Record<string, unknown>>(
  apiUrl: string,
  path: string,
  init: { token?: string; method?: string; body?: unknown; apiKey?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: T; headers: Headers }> {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.apiKey) headers['x-api-key'] = init.apiKey;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${apiUrl}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: response.status, body: (await response.json().catch(() => ({}))) as T, headers: response.headers };
}
