import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { pollUntil } from './poll.js';

/** A free loopback port (the OS picks one; a short race with other processes is acceptable in tests). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface ServiceProcess {
  child: ChildProcess;
  /** Everything the process wrote (stdout and stderr), for assertions and failure reports. */
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<void>;
}

/**
 * Starts a built service (`node <script>`) as its own process, as a user would run it, and waits
 * until `ready()` passes. Tests talk to it over its real interfaces.
 */
export async function startService(
  script: string,
  env: Record<string, string>,
  ready: () => Promise<boolean>,
  name = script,
  /** Flags for node itself, e.g. --cpu-prof (benchmarks). */
  nodeArgs: string[] = [],
  /** How long the service may take to become ready (a loaded machine starts Node slowly). */
  readyTimeoutMs = 30_000,
): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [...nodeArgs, script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Never outlive the test process: an orphaned service would keep consuming the tests' topics.
  const reap = () => child.kill('SIGKILL');
  process.once('exit', reap);
  void exited.then(() => process.off('exit', reap));
  let starting = true;
  await Promise.race([
    pollUntil(ready, { until: Boolean, timeoutMs: readyTimeoutMs, intervalMs: 100, what: `${name} to be ready` }),
    // A service that dies while starting fails at once, with its output, not at the deadline.
    exited.then(() => {
      if (starting) throw new Error(`${name} exited with ${child.exitCode}:\n${output}`);
    }),
  ]).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  starting = false;
  return {
    child,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
