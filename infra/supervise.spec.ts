import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { pollUntil } from '@orqestra/testing';

// infra/supervise.sh is what restarts a crashed API, worker, gateway or console under npm run up
// (issue: a crashed service stayed down until a person restarted it). Driven here with a stand-in
// process: the supervisor does not care what it runs.
const script = fileURLToPath(new URL('./supervise.sh', import.meta.url));
const runDir = mkdtempSync(join(tmpdir(), 'orq-supervise-'));
afterAll(() => rmSync(runDir, { recursive: true, force: true }));

const read = (name: string) => {
  try {
    return readFileSync(join(runDir, name), 'utf8').trim();
  } catch {
    return '';
  }
};
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('infra/supervise.sh', () => {
  it('restarts a process killed with SIGKILL, logs and counts it, and stops it with itself on SIGTERM', async () => {
    const supervisor = spawn('bash', [script, 'stand-in', runDir, process.execPath, '-e', 'setInterval(() => {}, 1000)'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    supervisor.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => supervisor.once('exit', (code) => resolve(code)));
    try {
      const first = Number(
        await pollUntil(() => read('stand-in.child.pid'), { until: Boolean, timeoutMs: 10_000, what: 'the first process' }),
      );
      process.kill(first, 'SIGKILL');
      const second = Number(
        await pollUntil(() => read('stand-in.child.pid'), {
          until: (pid) => pid !== '' && Number(pid) !== first,
          timeoutMs: 10_000,
          what: 'a new process',
        }),
      );
      expect(alive(second)).toBe(true);
      expect(read('stand-in.restarts')).toBe('1');
      expect(read('stand-in.last-exit')).toMatch(/stand-in exited \(signal 9\) after \d+ s; restart 1 in 1 s/);
      expect(log).toContain('[supervisor]');

      supervisor.kill('SIGTERM');
      expect(await exited).toBe(0);
      await pollUntil(() => alive(second), { until: (up) => !up, timeoutMs: 10_000, what: 'the process to stop with its supervisor' });
      expect(read('stand-in.child.pid')).toBe('');
    } finally {
      supervisor.kill('SIGKILL');
    }
  });
});
