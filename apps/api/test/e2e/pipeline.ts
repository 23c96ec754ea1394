import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { ensureTopics } from '@orqestra/bus';
import { freePort, serviceEnv, stackEnv, startService, type ServiceProcess } from '@orqestra/testing';

/**
 * The whole delivery path as a user runs it — API, worker and gateway as separate built
 * processes on topics of their own (prefix `e2e.`), Centrifugo from the stack — plus Debian's
 * Chromium driven by playwright-core. For suites that watch a notification reach a browser.
 */
export const TOPIC_PREFIX = 'e2e.';
/** Three services starting at once on a busy 2-core machine take longer than startService's default 30 s. */
const STARTUP_MS = 120_000;
const dist = (app: 'api' | 'gateway', file: string) => fileURLToPath(new URL(`../../../${app}/dist/${file}`, import.meta.url));

export interface Pipeline {
  apiUrl: string;
  stop(): Promise<void>;
}

export async function startPipeline(): Promise<Pipeline> {
  const env = stackEnv();
  await ensureTopics({ brokers: env.kafkaBrokers, partitions: env.kafkaTopicPartitions, replicas: 1, topicPrefix: TOPIC_PREFIX });
  const [apiPort, gatewayPort] = [await freePort(), await freePort()];
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const common = { KAFKA_TOPIC_PREFIX: TOPIC_PREFIX };
  const ready = (url: string) => async () => (await fetch(`${url}/health/ready`).catch(() => undefined))?.ok === true;
  const processes: ServiceProcess[] = await Promise.all([
    startService(dist('api', 'main.api.js'), serviceEnv({ ...common, API_PORT: String(apiPort) }), ready(apiUrl), 'api', [], STARTUP_MS),
    startService(dist('api', 'main.worker.js'), serviceEnv(common), async () => true, 'worker', [], STARTUP_MS),
    startService(
      dist('gateway', 'main.js'),
      // The sweeper would pick up other suites' leftovers in this database: keep it out of the way.
      serviceEnv({ ...common, GATEWAY_PORT: String(gatewayPort), SWEEPER_INTERVAL_MS: '3600000' }),
      ready(`http://127.0.0.1:${gatewayPort}`),
      'gateway',
      [],
      STARTUP_MS,
    ),
  ]);
  return { apiUrl, stop: async () => void (await Promise.all(processes.map((p) => p.stop()))) };
}

/**
 * Debian's Chromium (never a downloaded one), headless, with a fresh throw-away profile. The
 * profile directory is Chromium's --user-data-dir (playwright passes it for a persistent context).
 */
export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'orq-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
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
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
