import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { freePort, pollUntil, serviceEnv } from '@orqestra/testing';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const NEXT = `${root}node_modules/next/dist/bin/next`;
const CLI = `${root}apps/api/dist/main.cli.js`;
const API = `${root}apps/api/dist/main.api.js`;
const WORKER = `${root}apps/api/dist/main.worker.js`;

export interface Servers {
  apiUrl: string;
  consoleUrl: string;
  stop(): Promise<void>;
}

/**
 * The suite's own API (development flag for the fake vendors' loopback URLs) and worker, and the
 * built console (`next start`, as npm run up runs it) on free ports, the console forwarding to that
 * API. A serial suite (like the demo-inbox browser test): a browser plus a Next server is heavy on a
 * machine shared with the parallel suites.
 */
export async function startServers(): Promise<Servers> {
  const [apiPort, consolePort] = [await freePort(), await freePort()];
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const consoleUrl = `http://127.0.0.1:${consolePort}`;
  const [api, worker] = await Promise.all([
    spawnServer('api', [API], serviceEnv({ API_PORT: String(apiPort), ALLOW_PRIVATE_PROVIDER_URLS: 'true', ADMIN_UI_ORIGIN: consoleUrl }), `${apiUrl}/health/ready`),
    spawnServer('worker', [WORKER], serviceEnv(), null),
  ]);
  let web: Running;
  try {
    web = await spawnServer(
      'console (next start)',
      [NEXT, 'start', `${root}apps/admin`, '-H', '127.0.0.1', '-p', String(consolePort)],
      { PATH: serviceEnv().PATH ?? '', NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', ADMIN_API_URL: apiUrl },
      `${consoleUrl}/healthz`,
    );
  } catch (error) {
    await Promise.all([api.stop(), worker.stop()]);
    throw error;
  }
  return { apiUrl, consoleUrl, stop: async () => void (await Promise.all([web.stop(), api.stop(), worker.stop()])) };
}

interface Running {
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
  const stop = () =>
    new Promise<void>((resolve) => {
      process.off('exit', reap);
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  try {
    const isReady = async () => ready === null || (await fetch(ready).catch(() => undefined))?.ok === true;
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
  await promisify(execFile)('node', [CLI, 'operator', 'create', '--username', username, '--password', password, '--quiet'], { env: serviceEnv() as NodeJS.ProcessEnv });
}

/** Debian's Chromium, headless, never a downloaded browser; each context gets a fresh profile. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}

/** Zero WCAG 2 A/AA violations on what the page shows now. */
export async function expectAccessible(page: Page): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  const summary = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(summary, `axe on ${page.url()}`).toEqual([]);
}

/** A JSON call to the API, as a seed step (through the API, never the database). */
export async function api<T = Record<string, unknown>>(apiUrl: string, path: string, init: { token?: string; method?: string; body?: unknown; apiKey?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; body: T; headers: Headers }> {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.apiKey) headers['x-api-key'] = init.apiKey;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${apiUrl}${path}`, { method: init.method ?? (init.body === undefined ? 'GET' : 'POST'), headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  return { status: response.status, body: (await response.json().catch(() => ({}))) as T, headers: response.headers };
}
