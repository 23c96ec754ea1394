import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, pollUntil, serviceEnv, startService, type ServiceProcess } from '@orqestra/testing';
import { adminToken, newTenant, type TestTenant } from '../fixtures.js';

/**
 * Schema-driven fuzzing (issue 13): Schemathesis, from its own virtual environment under the
 * state directory (infra/schemathesis.sh installs it), against /api/docs.json of an API process
 * this suite starts. Three phases, each with the credentials its routes take:
 * - client: the tenant API (events, inbox, realtime token) with an API key and a realtime token,
 *   the tenant-admin routes with a tenant admin's token, and the unauthenticated login routes;
 * - operator: the operator routes with an operator's token. Reads go anywhere; every mutating
 *   route is pinned to a tenant this suite created (path parameter `id`), or creates its own
 *   data (a new tenant); global templates are only read, since they apply to every tenant.
 * Checks: no 5xx, and every status, content type, header and body as the document says.
 */
export const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_headers_conformance',
  'response_schema_conformance',
];

export interface FuzzPhase {
  name: string;
  /** Cases generated; failures by check name; operations run. */
  cases: number;
  failures: Record<string, number>;
  operations: number;
  output: string;
  exitCode: number | null;
}

export interface FuzzTarget {
  apiUrl: string;
  clientTenant: TestTenant;
  operatorTenant: TestTenant;
  stop: () => Promise<void>;
}

const dist = fileURLToPath(new URL('../../dist/main.api.js', import.meta.url));

export async function startFuzzTarget(): Promise<FuzzTarget> {
  const port = await freePort();
  const apiUrl = `http://127.0.0.1:${port}`;
  const api: ServiceProcess = await startService(dist, serviceEnv({ API_PORT: String(port) }), async () => true, 'fuzz api');
  // A generous deadline of its own: on a loaded machine the API can take over 30 s to start.
  await pollUntil(async () => (await fetch(`${apiUrl}/health/ready`).catch(() => undefined))?.ok === true, {
    until: Boolean,
    timeoutMs: 120_000,
    intervalMs: 250,
    what: 'the fuzz API to be ready',
  }).catch(async (error: unknown) => {
    await api.stop();
    throw new Error(`${String(error)}\n${api.output()}`);
  });
  return { apiUrl, clientTenant: await newTenant(), operatorTenant: await newTenant(), stop: () => api.stop() };
}

function toml(value: Record<string, unknown>): string {
  const lines: string[] = [];
  const emit = (prefix: string, object: Record<string, unknown>) => {
    const nested: [string, Record<string, unknown>][] = [];
    for (const [key, item] of Object.entries(object)) {
      if (item !== null && typeof item === 'object' && !Array.isArray(item)) nested.push([key, item as Record<string, unknown>]);
      else lines.push(`${JSON.stringify(key)} = ${JSON.stringify(item)}`);
    }
    for (const [key, item] of nested) {
      const name = prefix ? `${prefix}.${JSON.stringify(key)}` : JSON.stringify(key);
      lines.push(`[${name}]`);
      emit(name, item);
    }
  };
  emit('', value);
  return `${lines.join('\n')}\n`;
}

async function realtimeToken(apiUrl: string, apiKey: string): Promise<string> {
  const response = await fetch(`${apiUrl}/api/v1/auth/realtime-token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    body: JSON.stringify({ userId: 'fuzz-user' }),
  });
  const body = (await response.json()) as { token?: string };
  if (!body.token) throw new Error(`no realtime token: ${response.status} ${JSON.stringify(body)}`);
  return body.token;
}

/** Runs one phase of Schemathesis and counts what it reported (from its JUnit report). */
export async function fuzzPhase(
  target: FuzzTarget,
  phase: 'client' | 'operator',
  options: { maxExamples: number; phases: string; seed?: number; venv: string; env: Record<string, string> },
): Promise<FuzzPhase> {
  const dir = await mkdtemp(join(tmpdir(), `orq-fuzz-${phase}-`));
  const config: Record<string, unknown> =
    phase === 'client'
      ? {
          auth: {
            openapi: {
              apiKey: { api_key: target.clientTenant.apiKey },
              adminBearer: { bearer: await adminToken({ role: 'admin', tenantId: target.clientTenant.tenantId }) },
              realtimeToken: { bearer: await realtimeToken(target.apiUrl, target.clientTenant.apiKey) },
            },
          },
        }
      : {
          // Reads anywhere; writes only on the suite's own tenant (or creating new tenants).
          auth: { openapi: { adminBearer: { bearer: await adminToken({ role: 'platform_operator' }) } } },
          parameters: { 'path.id': target.operatorTenant.tenantId },
        };
  const configFile = join(dir, 'schemathesis.toml');
  await writeFile(configFile, toml(config));
  const junit = join(dir, 'junit.xml');
  const args = [
    '--no-color',
    '--config-file',
    configFile,
    'run',
    `${target.apiUrl}/api/docs.json`,
    '--checks',
    CHECKS.join(','),
    '--max-examples',
    String(options.maxExamples),
    '--phases',
    options.phases,
    '--workers',
    '2',
    '--request-timeout',
    '30',
    '--suppress-health-check',
    'all',
    '--report',
    'junit',
    '--report-junit-path',
    junit,
    ...(options.seed !== undefined ? ['--seed', String(options.seed)] : []),
    ...(phase === 'operator'
      ? // Excluded: writes (method AND path both match) outside /admin/tenants.
        [
          '--include-path-regex',
          OPERATOR_ROUTES,
          '--exclude-method-regex',
          '^(POST|PUT|PATCH|DELETE)$',
          '--exclude-path-regex',
          '^/api/v1/admin/(?!tenants)',
        ]
      : ['--exclude-path-regex', OPERATOR_ROUTES]),
  ];
  const { output, exitCode } = await run(join(options.venv, 'bin', 'st'), args, options.env, dir);
  const report = await readFile(junit, 'utf8').catch(() => '');
  return {
    name: phase,
    ...countCases(output),
    failures: countFailures(report),
    operations: (report.match(/<testcase /g) ?? []).length,
    output,
    exitCode,
  };
}

/**
 * The operator's routes (its login routes, unauthenticated, belong to the client phase). Operator
 * writes that could touch data this suite did not create are left out: every mutating admin route
 * except those under /admin/tenants (pinned to the suite's tenant by `path.id`, or creating one).
 */
const OPERATOR_ROUTES = '^/api/v1/admin/(?!auth/)';

/** Runs in `cwd` (the phase's temporary directory), where Schemathesis keeps its cache. */
function run(
  command: string,
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<{ output: string; exitCode: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd, env: { ...env, LANG: 'C.UTF-8' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ output, exitCode: code }));
  });
}

/** "Test cases: N generated, N passed, N failed" from the summary Schemathesis prints. */
export function countCases(output: string): { cases: number } {
  const match = /Test cases:\s*(\d+) generated/.exec(output);
  return { cases: match ? Number(match[1]) : 0 };
}

/** Failures by check, from the JUnit report's failure messages. */
export function countFailures(junit: string): Record<string, number> {
  const failures: Record<string, number> = {};
  for (const match of junit.matchAll(/<failure[^>]*message="([^"]*)"/g)) {
    const check = /^([^\n&]+)/.exec(match[1] ?? '')?.[1]?.trim() ?? 'unknown';
    failures[check] = (failures[check] ?? 0) + 1;
  }
  return failures;
}
