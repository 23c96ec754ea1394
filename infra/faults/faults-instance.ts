import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseEnvFile, pollUntil } from '@orqestra/testing';

/**
 * A second stack instance of its own (state directory, ports), started and broken with the same
 * scripts an operator uses: `infra/stack.sh start|stop <component>` for PostgreSQL, Redis, Kafka
 * and Centrifugo, and `infra/stack.sh start api worker gateway` for Orqestra's processes exactly as
 * `npm run up` starts them. The shared stack of the other suites is never touched.
 */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

export type Component = 'postgres' | 'redis' | 'kafka' | 'centrifugo';
export type App = 'api' | 'worker' | 'gateway';
export const APPS: App[] = ['api', 'worker', 'gateway'];

/** Settings of the faults instance; the defaults keep clear of the main instance's ports. */
export interface InstanceOptions {
  stateDir: string;
  ports: {
    pg: number;
    redis: number;
    kafka: number;
    kafkaController: number;
    centrifugo: number;
    api: number;
    worker: number;
    gateway: number;
  };
  /** The apps' settings (retry schedule, timeouts, breaker, sweeper), put in their environment. */
  appSettings: Record<string, string>;
  /**
   * The checkout whose infra/ scripts and built apps run the instance (default: this one). Another
   * checkout (a `git worktree` of an older commit, built) shows what the matrix says of older code.
   */
  stackRoot?: string;
}

export const DEFAULT_INSTANCE: InstanceOptions = {
  stateDir: '/var/tmp/orqestra-faults',
  // Below the kernel's ephemeral range (32768-60999 here): a port in it can be held, when the
  // instance starts, by any process's outgoing connection (one run failed so: PostgreSQL's port
  // was in use).
  ports: { pg: 25632, redis: 26579, kafka: 29292, kafkaController: 29293, centrifugo: 28200, api: 3200, worker: 3203, gateway: 3202 },
  appSettings: {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    // Long enough in total (15.7 s) to outlast the 10 s vendor outage of the matrix.
    RETRY_SCHEDULE: '200ms,500ms,1s,2s,4s,8s',
    RETRY_JITTER: '0',
    SEND_TIMEOUT_MS: '1000',
    LEASE_MS: '3000',
    BREAKER_THRESHOLD: '5',
    BREAKER_COOLDOWN_MS: '1000',
    SWEEPER_INTERVAL_MS: '500',
    // Longer than the queueing delay after a Kafka restart under this load: with 3 s, the sweeper
    // republished every PENDING row whose first dispatch was still queued, every 3 s, and the
    // dispatch topic's lag grew to 60,000 (reported in issue 12); each scenario should measure
    // its own fault, not that storm.
    SWEEPER_PENDING_AFTER_MS: '20000',
    SWEEPER_RETRY_GRACE_MS: '5000',
    ALLOW_PRIVATE_PROVIDER_URLS: 'true',
  },
};

/**
 * The variables of the surrounding environment that describe a stack instance: the main one's
 * (npm test runs under infra/with-env.sh) must not leak into this one's processes, where they would
 * win over this instance's stack.env.
 */
const INSTANCE_VARIABLES = [
  'DATABASE_URL',
  'DATABASE_OWNER_URL',
  'REDIS_URL',
  'KAFKA_BROKERS',
  'KAFKA_TOPIC_PARTITIONS',
  'KAFKA_TOPIC_PREFIX',
  'CENTRIFUGO_URL',
  'CENTRIFUGO_PUBLIC_URL',
  'CENTRIFUGO_API_KEY',
  'CENTRIFUGO_HMAC_SECRET',
  'CREDENTIALS_KEYS',
  'CREDENTIALS_ACTIVE_KEY',
  'ADMIN_JWT_SECRET',
  'API_PORT',
  'WORKER_PORT',
  'GATEWAY_PORT',
];

export class FaultsInstance {
  readonly apiUrl: string;
  readonly gatewayUrl: string;
  readonly stackRoot: string;
  private readonly env: Record<string, string>;

  constructor(readonly options: InstanceOptions = DEFAULT_INSTANCE) {
    const inherited: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) {
      if (value === undefined || key.startsWith('ORQ_') || INSTANCE_VARIABLES.includes(key)) continue;
      inherited[key] = value;
    }
    const { ports } = options;
    this.env = {
      ...inherited,
      // The main instance's caches (Kafka jars, Centrifugo build): nothing is downloaded or rebuilt.
      ORQ_CACHE_DIR: process.env.ORQ_CACHE_DIR ?? `${process.env.ORQ_STATE_DIR ?? '/var/tmp/orqestra'}/cache`,
      ORQ_STATE_DIR: options.stateDir,
      ORQ_PG_PORT: String(ports.pg),
      ORQ_REDIS_PORT: String(ports.redis),
      ORQ_KAFKA_PORT: String(ports.kafka),
      ORQ_KAFKA_CONTROLLER_PORT: String(ports.kafkaController),
      ORQ_KAFKA_HEAP: '512m',
      ORQ_CENTRIFUGO_PORT: String(ports.centrifugo),
      ORQ_API_PORT: String(ports.api),
      // Its own worker ops port too: the main stack's worker, when it runs, holds the default 3003.
      ORQ_WORKER_PORT: String(ports.worker),
      ORQ_GATEWAY_PORT: String(ports.gateway),
      ...options.appSettings,
    };
    this.stackRoot = options.stackRoot ?? ROOT;
    this.apiUrl = `http://127.0.0.1:${ports.api}`;
    this.gatewayUrl = `http://127.0.0.1:${ports.gateway}`;
  }

  get runDir(): string {
    return `${this.options.stateDir}/run`;
  }

  get logDir(): string {
    return `${this.options.stateDir}/logs`;
  }

  /** This instance's connection settings and secrets, as infra/stack.sh wrote them. */
  stackEnv(): Record<string, string> {
    return parseEnvFile(readFileSync(`${this.options.stateDir}/stack.env`, 'utf8'));
  }

  /** `infra/stack.sh <args>` under this instance's settings; a failure carries the script's output. */
  async stack(...args: string[]): Promise<string> {
    return this.exec('bash', [`${this.stackRoot}infra/stack.sh`, ...args]);
  }

  /** The operator CLI (`apps/api/dist/main.cli.js`) against this instance. */
  async cli(...args: string[]): Promise<string> {
    return this.exec('bash', [`${this.stackRoot}infra/with-env.sh`, 'node', `${this.stackRoot}apps/api/dist/main.cli.js`, ...args]);
  }

  /** The stack, the schema, the topics, then the apps, as `npm run up` does. */
  async start(): Promise<void> {
    await this.stack('start', 'postgres', 'redis', 'kafka', 'centrifugo');
    await this.cli('migrate', '--quiet');
    await this.cli('topics', 'ensure', '--quiet');
    await this.stack('start', ...APPS);
  }

  /** Stops everything, apps first (also after a failed run). */
  async stop(): Promise<void> {
    await this.stack('stop');
  }

  /** A restart as an operator does it: stop, then start at once (PostgreSQL is down about a second). */
  async restart(component: Component): Promise<void> {
    await this.stack('stop', component);
    await this.stack('start', component);
  }

  /**
   * The pid of the app's own node process: `<app>.child.pid` under process supervision
   * (infra/stack.sh), `<app>.pid` before it (the app itself, started without a supervisor).
   */
  appPid(app: App): number | undefined {
    for (const file of [`${app}.child.pid`, `${app}.pid`]) {
      try {
        const pid = Number(readFileSync(`${this.runDir}/${file}`, 'utf8').trim());
        if (Number.isInteger(pid) && pid > 0) return pid;
      } catch {
        // not there: try the next one
      }
    }
    return undefined;
  }

  /** kill -9 of the app's node process. Nothing here restarts it: that is what is tested. */
  kill9(app: App): number {
    const pid = this.appPid(app);
    if (pid === undefined) throw new Error(`${app} has no pid file in ${this.runDir}`);
    process.kill(pid, 'SIGKILL');
    return pid;
  }

  /** Whether the app answers as `npm run stack:status` checks it (a zombie does not count as running). */
  async appUp(app: App): Promise<boolean> {
    if (app === 'worker') {
      const pid = this.appPid(app);
      return pid !== undefined && processRunning(pid);
    }
    const url = app === 'api' ? `${this.apiUrl}/health/ready` : `${this.gatewayUrl}/health/ready`;
    return (await fetch(url, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined))?.ok === true;
  }

  /** Polls until every app is up, or the deadline; returns the ones still down. */
  async appsDown(timeoutMs: number): Promise<App[]> {
    const down = async () =>
      (await Promise.all(APPS.map(async (app) => ((await this.appUp(app)) ? undefined : app)))).filter((a): a is App => a !== undefined);
    try {
      await pollUntil(down, { until: (list) => list.length === 0, timeoutMs, intervalMs: 500, what: 'every app up' });
      return [];
    } catch {
      return down();
    }
  }

  /**
   * Starts whichever app is not running (`infra/stack.sh start` is idempotent), BEFORE a scenario,
   * so that one scenario's unrecovered crash (already counted as its failure) does not hide what
   * the next scenarios show. Returns the apps it had to start. Never used to help a scenario recover.
   */
  async startMissingApps(): Promise<{ started: App[]; error?: string }> {
    const missing = (await Promise.all(APPS.map(async (app) => ((await this.appUp(app)) ? undefined : app)))).filter(
      (a): a is App => a !== undefined,
    );
    if (missing.length === 0) return { started: [] };
    try {
      await this.stack('start', ...APPS);
      return { started: missing };
    } catch (error) {
      return { started: missing, error: (error as Error).message.split('\n').slice(-3).join(' ') };
    }
  }

  /** The last lines of an app's log (for a failing scenario's report). */
  logTail(name: App | Component, lines = 20): string {
    try {
      return readFileSync(`${this.logDir}/${name}.log`, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  private async exec(file: string, args: string[]): Promise<string> {
    try {
      const { stdout } = await run(file, args, { cwd: this.stackRoot, env: this.env, maxBuffer: 16 * 1024 * 1024, timeout: 240_000 });
      return stdout;
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string; message: string };
      throw new Error(`${[file, ...args].join(' ')} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
    }
  }
}

/** Running and not a zombie (`kill -0` alone counts a zombie as alive). */
export function processRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X' && state !== '';
  } catch {
    return false;
  }
}
