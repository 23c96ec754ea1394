import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@orqestra/testing';

// npm run up on a running stack (issue 13 item 9): it restarts Orqestra's apps when the settings
// they were started with changed (a variable such as ALLOW_PRIVATE_PROVIDER_URLS, or .env), and
// its summary stops printing the demo operator's temporary password once it was changed. Driven
// through infra/up.sh's own functions (the script sourced, as bash runs it) against an instance of
// this test only: a checkout root of its own (this infra/ and .env.example, and a stand-in API
// that answers with the environment it was started with), its own state directory and ports,
// and an environment with nothing of the shared stack's. The shared stack is never touched.
const repo = fileURLToPath(new URL('..', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'orq-up-'));
const state = join(root, 'state');
const run = (name: string) => join(state, 'run', name);

const STAND_IN_API = `
const http = require('node:http');
const seen = { pid: process.pid, allowPrivate: process.env.ALLOW_PRIVATE_PROVIDER_URLS ?? null, logLevel: process.env.LOG_LEVEL ?? null };
http.createServer((req, res) => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify(seen)); })
  .listen(Number(process.env.API_PORT), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
`;

let env: Record<string, string>;
let apiUrl: string;

/** Runs `script` in bash with infra/up.sh of the test's root sourced; resolves with its exit code and output. */
function up(script: string, extra: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', `. "$ORQ_ROOT/infra/up.sh"\n${script}`], {
      env: { ...env, ...extra },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

async function standIn(): Promise<{ pid: number; allowPrivate: string | null; logLevel: string | null }> {
  const response = await fetch(apiUrl, { headers: { connection: 'close' } });
  return (await response.json()) as { pid: number; allowPrivate: string | null; logLevel: string | null };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const pidIn = (file: string) => {
  try {
    return Number(readFileSync(file, 'utf8').trim()) || undefined;
  } catch {
    return undefined;
  }
};

beforeAll(async () => {
  symlinkSync(join(repo, 'infra'), join(root, 'infra'));
  symlinkSync(join(repo, '.env.example'), join(root, '.env.example'));
  mkdirSync(join(root, 'apps', 'api', 'dist'), { recursive: true });
  writeFileSync(join(root, 'package.json'), '{ "type": "commonjs" }\n');
  writeFileSync(join(root, 'apps', 'api', 'dist', 'main.api.js'), STAND_IN_API);
  const [api, gateway, worker, admin, pg, redis, kafka, controller, centrifugo] = await Promise.all(
    Array.from({ length: 9 }, () => freePort()),
  );
  apiUrl = `http://127.0.0.1:${api}/health/ready`;
  // Ports of this instance only (nothing listens on the stack's: only the app under test runs).
  env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    ORQ_ROOT: root,
    ORQ_STATE_DIR: state,
    ORQ_API_PORT: String(api),
    ORQ_GATEWAY_PORT: String(gateway),
    ORQ_WORKER_PORT: String(worker),
    ORQ_PG_PORT: String(pg),
    ORQ_REDIS_PORT: String(redis),
    ORQ_KAFKA_PORT: String(kafka),
    ORQ_KAFKA_CONTROLLER_PORT: String(controller),
    ORQ_CENTRIFUGO_PORT: String(centrifugo),
    ADMIN_UI_ORIGIN: `http://127.0.0.1:${admin}`,
  };
});

afterAll(async () => {
  if (env) await up('bash "$ORQ_ROOT/infra/stack.sh" stop api');
  // Only if the stop above failed: the supervisor and the stand-in this test started.
  for (const file of [run('api.pid'), run('api.child.pid')]) {
    const pid = pidIn(file);
    if (pid !== undefined && alive(pid)) process.kill(pid, 'SIGKILL');
  }
  rmSync(root, { recursive: true, force: true });
});

describe('npm run up (infra/up.sh)', () => {
  it('restarts a running app when its environment or .env changed, saying why, and leaves it alone otherwise', async () => {
    const first = await up('start_apps api');
    expect(first.code, first.output).toBe(0);
    expect(first.output).not.toContain('restarting');
    const started = await standIn();
    expect(started).toMatchObject({ allowPrivate: null, logLevel: null });

    const again = await up('start_apps api');
    expect(again.code, again.output).toBe(0);
    expect(again.output).not.toContain('restarting');
    expect((await standIn()).pid).toBe(started.pid);

    const flag = await up('start_apps api', { ALLOW_PRIVATE_PROVIDER_URLS: 'true' });
    expect(flag.code, flag.output).toBe(0);
    expect(flag.output).toContain('restarting the running apps: their settings changed (.env or the environment)');
    const restarted = await standIn();
    expect(restarted.pid).not.toBe(started.pid);
    expect(restarted.allowPrivate).toBe('true');
    expect(alive(started.pid)).toBe(false);

    writeFileSync(join(root, '.env'), 'LOG_LEVEL=debug\n');
    const dotenv = await up('start_apps api', { ALLOW_PRIVATE_PROVIDER_URLS: 'true' });
    expect(dotenv.code, dotenv.output).toBe(0);
    expect(dotenv.output).toContain('restarting the running apps: their settings changed');
    const fromDotenv = await standIn();
    expect(fromDotenv).toMatchObject({ allowPrivate: 'true', logLevel: 'debug' });
    expect(fromDotenv.pid).not.toBe(restarted.pid);
    expect(pidIn(run('api.child.pid'))).toBe(fromDotenv.pid);
  });

  it('prints the temporary operator password until it was changed, then says so and removes it from demo.env', async () => {
    const demo = join(state, 'demo.env');
    mkdirSync(state, { recursive: true });
    writeFileSync(demo, 'DEMO_TENANT_ID=t-1\nDEMO_API_KEY=k-1\nDEMO_OPERATOR_USERNAME=admin\nDEMO_OPERATOR_PASSWORD=Temp0rarySecret\n', {
      mode: 0o600,
    });

    const temporary = await up('print_summary t 3');
    expect(temporary.code, temporary.output).toBe(0);
    expect(temporary.output).toContain('Orqestra is up (3 s).');
    expect(temporary.output).toContain('operator         admin / Temp0rarySecret  (temporary: you choose your own at first sign-in)');

    for (const round of [1, 2]) {
      const changed = await up('print_summary f 3');
      expect(changed.code, `round ${round}: ${changed.output}`).toBe(0);
      expect(changed.output).toContain(
        'operator         admin  (the temporary password was changed at first sign-in; sign in with the one you chose)',
      );
      expect(changed.output).not.toContain('Temp0rarySecret');
      const file = readFileSync(demo, 'utf8');
      expect(file).not.toContain('Temp0rarySecret');
      expect(file).toContain('# The temporary password was changed at first sign-in.\nDEMO_OPERATOR_PASSWORD=\n');
      expect(file).toContain('DEMO_API_KEY=k-1\n');
    }
  });
});
