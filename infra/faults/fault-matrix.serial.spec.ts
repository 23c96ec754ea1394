import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseKeyring, SecretBox } from '@orqestra/crypto';
import { createDatabase, insertTenantWithApiKey, withOperator, type Database } from '@orqestra/db';
import { FakeResend, FakeSendGrid } from '@orqestra/providers';
import { PROFILES, runScenario, SCENARIOS, type ScenarioResult, type Tenants, type Vendors } from './fault-matrix.js';
import { DEFAULT_INSTANCE, FaultsInstance, ROOT } from './faults-instance.js';
import { renderReport, writeDocsBlock } from './matrix-report.js';

// The fault matrix (issue 12): on a stack instance of its own, steady trigger load with a unique
// marker per event, and while batches are in flight one fault per scenario: kill -9 of the API, the
// worker, the gateway; restarts of Kafka, PostgreSQL, Redis, Centrifugo; a vendor answering 500,
// a hung vendor, a breaker whose trial call times out. Both vendor kinds at once. Counted at the
// vendor fakes. No process is restarted by the suite to help a scenario recover.
//
// FAULTS_PROFILE=short (npm test's serial tier, the default: the scenarios marked `short`) or
// full (npm run test:faults: every scenario, more load).
// FAULTS_SCENARIOS=id,id runs a subset while working on one fault (ids in fault-matrix.ts).
// FAULTS_WRITE_DOCS=1 writes the table into docs/reliability.md (npm run test:faults does).
// FAULTS_STACK_ROOT=/path/to/checkout/ runs the instance from another (built) checkout, e.g. a
// git worktree of a commit before a fix, to see the matrix fail there.
const profile = PROFILES[process.env.FAULTS_PROFILE === 'full' ? 'full' : 'short'];
const only = (process.env.FAULTS_SCENARIOS ?? '').split(',').filter(Boolean);
const scenarios =
  only.length > 0 ? SCENARIOS.filter((s) => only.includes(s.id)) : SCENARIOS.filter((s) => profile.name === 'full' || s.short);
const stackRoot = process.env.FAULTS_STACK_ROOT ? `${process.env.FAULTS_STACK_ROOT.replace(/\/+$/, '')}/` : undefined;
// FAULTS_STATE_DIR and FAULTS_PORT_OFFSET (added to every port) run a second faults instance beside the first.
const offset = Number(process.env.FAULTS_PORT_OFFSET ?? '0');
const ports = Object.fromEntries(Object.entries(DEFAULT_INSTANCE.ports).map(([k, v]) => [k, v + offset])) as typeof DEFAULT_INSTANCE.ports;
const instance = new FaultsInstance({
  ...DEFAULT_INSTANCE,
  ports,
  stateDir: process.env.FAULTS_STATE_DIR ?? DEFAULT_INSTANCE.stateDir,
  ...(stackRoot ? { stackRoot } : {}),
});
const vendors: Vendors = { resend: new FakeResend(), sendgrid: new FakeSendGrid() };
const results: ScenarioResult[] = [];
const runId = randomBytes(3).toString('hex');
let tenants: Tenants | undefined;
const minutes = (n: number) => n * 60_000;

async function newTenant(database: Database, name: string): Promise<{ tenantId: string; apiKey: string }> {
  const apiKey = `oq_live_${randomBytes(32).toString('base64url')}`;
  const { tenant } = await withOperator(database, 'fault-matrix', (tx) =>
    insertTenantWithApiKey(tx, {
      name,
      // The load is far above a tenant's default rate; the quota is not what is tested here.
      rateLimitPerMinute: 600_000,
      burst: 10_000,
      dailyCap: 100_000_000,
      apiKeyHash: createHash('sha256').update(apiKey, 'utf8').digest('hex'),
      displayPrefix: apiKey.slice(0, 12),
    }),
  );
  return { tenantId: tenant.id, apiKey };
}

async function addProvider(
  database: Database,
  box: SecretBox,
  tenantId: string,
  provider: 'resend' | 'sendgrid',
  apiKey: string,
  baseUrl: string,
) {
  const id = randomUUID();
  await withOperator(
    database,
    'fault-matrix',
    (tx) =>
      tx.db
        .insertInto('provider_configs')
        .values({
          id,
          tenant_id: tenantId,
          channel: 'EMAIL',
          provider,
          priority: 0,
          base_url_override: baseUrl,
          credentials_ciphertext: box.encrypt(JSON.stringify({ apiKey, fromAddress: 'alerts@shop.example' }), {
            purpose: 'provider_credentials',
            tenantId,
            rowId: id,
          }),
          credentials_last4: apiKey.slice(-4),
        })
        .execute(),
    { tenantId },
  );
}

beforeAll(async () => {
  const main = process.env.ORQ_STATE_DIR ?? '/var/tmp/orqestra';
  if (instance.options.stateDir === main) throw new Error('the fault matrix needs a state directory of its own');
  // A clean instance each run: leftovers of an earlier run (its sweeper republishing rows whose
  // fakes are gone) would only add noise.
  await instance.stop().catch(() => undefined);
  rmSync(instance.options.stateDir, { recursive: true, force: true });
  mkdirSync(instance.options.stateDir, { recursive: true });
  await vendors.resend.start();
  await vendors.sendgrid.start();
  await instance.start();
  const env = instance.stackEnv();
  const database = createDatabase(env.DATABASE_URL ?? '', { max: 2, applicationName: 'fault-matrix-setup' });
  try {
    const box = new SecretBox(parseKeyring(env.CREDENTIALS_KEYS ?? ''));
    const resend = await newTenant(database, `faults-resend-${runId}`);
    const sendgrid = await newTenant(database, `faults-sendgrid-${runId}`);
    await addProvider(database, box, resend.tenantId, 'resend', vendors.resend.apiKey, vendors.resend.url);
    await addProvider(database, box, sendgrid.tenantId, 'sendgrid', vendors.sendgrid.apiKey, vendors.sendgrid.url);
    tenants = { resend, sendgrid };
  } finally {
    await database.close();
  }
}, minutes(5));

afterAll(async () => {
  await instance.stop().catch((error: unknown) => console.error(`stopping the faults instance: ${(error as Error).message}`));
  await vendors.resend.close();
  await vendors.sendgrid.close();
  if (results.length === 0) return;
  const command = profile.name === 'full' ? 'npm run test:faults' : 'npm test (serial tier: FAULTS_PROFILE=short)';
  const report = renderReport(results, { profile, command, root: instance.stackRoot });
  console.info(`\nFault matrix (${profile.name}):\n${report}\n`);
  writeFileSync(`${instance.options.stateDir}/fault-matrix-${profile.name}.md`, `${report}\n`);
  if (process.env.FAULTS_WRITE_DOCS === '1') writeDocsBlock(`${ROOT}docs/reliability.md`, report);
}, minutes(2));

describe(`fault matrix (${profile.name} profile), Resend-like and SendGrid-like vendors at once`, () => {
  for (const scenario of scenarios) {
    it(
      `${scenario.title}: 0 lost, 0 duplicates at the idempotent vendor, duplicates at the other only with an ambiguous attempt, no manual restart`,
      async () => {
        if (!tenants) throw new Error('the faults instance did not start');
        const result = await runScenario(scenario, { instance, vendors, tenants, profile, runId });
        results.push(result);
        expect(result.failures).toEqual([]);
      },
      minutes(profile.name === 'full' ? 15 : 6),
    );
  }
});
