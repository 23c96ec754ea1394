import { createDatabase, type Database } from '@orqestra/db';
import type { FakeResend, FakeSendGrid } from '@orqestra/providers';
import { pollUntil } from '@orqestra/testing';
import { ambiguousAttempts, deliveries, logRows, TERMINAL, type VendorKind } from './delivery-ledger.js';
import { APPS, type App, type FaultsInstance } from './faults-instance.js';
import { TriggerLoad } from './trigger-load.js';

/**
 * One scenario of the fault matrix: steady load on both vendors' tenants, the fault injected once
 * sends are flowing (batches in flight) while the load goes on, then the count at the fakes.
 */
export interface Profile {
  name: 'short' | 'full';
  /** Events per second over both tenants. */
  ratePerSecond: number;
  /** Load kept running after the fault's injection returned. */
  afterFaultMs: number;
  /** How long a vendor answers 500 / hangs. */
  vendor500Ms: number;
  vendorHangMs: number;
  /** Every accepted notification must be terminal within this (after the load ended). */
  drainTimeoutMs: number;
}

// The short profile (npm test) runs the scenarios marked `short` (a crash under supervision, the
// Kafka and PostgreSQL restarts, the breaker's trial): about 6 minutes with the instance's start.
export const PROFILES: Record<Profile['name'], Profile> = {
  short: { name: 'short', ratePerSecond: 20, afterFaultMs: 3_000, vendor500Ms: 10_000, vendorHangMs: 3_000, drainTimeoutMs: 60_000 },
  full: { name: 'full', ratePerSecond: 80, afterFaultMs: 10_000, vendor500Ms: 10_000, vendorHangMs: 5_000, drainTimeoutMs: 180_000 },
};

export interface Vendors {
  resend: FakeResend;
  sendgrid: FakeSendGrid;
}

export interface Tenants {
  resend: { tenantId: string; apiKey: string };
  sendgrid: { tenantId: string; apiKey: string };
}

export interface FaultContext {
  instance: FaultsInstance;
  vendors: Vendors;
  profile: Profile;
  /** Notes for the report (what was done, pids killed). */
  note(text: string): void;
}

export interface Scenario {
  id: string;
  title: string;
  /** Injects the fault; resolves when the injection (restart, vendor outage) is over. */
  inject(ctx: FaultContext): Promise<void>;
  /** Every n-th event also asks for PUSH; each of those PUSH notifications must end SENT. */
  pushEvery?: number;
  /** Also in the short profile (npm test's serial tier); the full profile runs every scenario. */
  short?: boolean;
}

export interface VendorResult {
  vendor: VendorKind;
  accepted: number;
  deliveredOnce: number;
  lost: number;
  /** Markers delivered more than once, and how many of them have as many ambiguous attempts recorded as extra sends. */
  duplicated: number;
  extraSends: number;
  ambiguousBacked: number;
  /** Accepted markers whose notification ended FAILED (dead-lettered). */
  failed: number;
  /** Accepted markers whose notification was not terminal at the drain deadline. */
  notTerminal: number;
  /** Events that never got a 2xx (the client gave up) but were delivered anyway. */
  deliveredUnaccepted: number;
  neverAccepted: number;
  /** Fault → the last delivery of this scenario's markers. */
  drainMs: number | undefined;
}

export interface ScenarioResult {
  scenario: Scenario;
  vendors: VendorResult[];
  drained: boolean;
  /** Apps still down at the end (none may be). */
  appsDown: App[];
  /** Apps whose node process changed during the scenario (restarted by the supervisor). */
  appsRestarted: App[];
  /** Apps the suite had to start before the scenario (down since the previous one). */
  appsStartedBefore: App[];
  push: { expected: number; sent: number } | undefined;
  notes: string[];
  passed: boolean;
  failures: string[];
}

const VENDORS: VendorKind[] = ['resend', 'sendgrid'];

async function quiet(probe: () => number, quietMs: number, timeoutMs: number): Promise<void> {
  let last = probe();
  let since = Date.now();
  await pollUntil(
    () => {
      const now = probe();
      if (now !== last) {
        last = now;
        since = Date.now();
      }
      return Date.now() - since;
    },
    { until: (still) => still >= quietMs, timeoutMs, intervalMs: 200, what: 'the vendors to go quiet' },
  ).catch(() => undefined);
}

export async function runScenario(
  scenario: Scenario,
  options: { instance: FaultsInstance; vendors: Vendors; tenants: Tenants; profile: Profile; runId: string },
): Promise<ScenarioResult> {
  const { instance, vendors, tenants, profile } = options;
  const notes: string[] = [];
  const failures: string[] = [];
  const prefix = `f${options.runId}-${scenario.id}`;
  const { started: appsStartedBefore, error: startError } = await instance.startMissingApps();
  if (appsStartedBefore.length > 0)
    notes.push(`suite started ${appsStartedBefore.join(', ')} before the scenario (down since the previous one)`);
  if (startError) notes.push(`starting them failed: ${startError}`);
  // Each scenario starts from a quiet system: what earlier scenarios left unfinished is worked off
  // first (or noted), so that their backlog is not counted against this fault.
  const leftover = await settle(instance, tenants, profile.drainTimeoutMs);
  if (leftover > 0) notes.push(`started with ${leftover} unfinished notifications of earlier scenarios`);
  const pidsBefore = new Map(APPS.map((app) => [app, instance.appPid(app)]));

  const load = new TriggerLoad({
    apiUrl: instance.apiUrl,
    targets: VENDORS.map((vendor) => ({ vendor, apiKey: tenants[vendor].apiKey })),
    ratePerSecond: profile.ratePerSecond,
    prefix,
    pushEvery: scenario.pushEvery,
    maxEvents: profile.ratePerSecond * 180,
  }).start();

  // Batches in flight: both vendors are receiving this scenario's sends.
  const flowing = Math.max(5, Math.round(profile.ratePerSecond / 2));
  let faultAt = Date.now();
  try {
    await pollUntil(() => VENDORS.map((v) => deliveries(v, vendors[v], prefix).total), {
      until: (totals) => totals.every((t) => t >= flowing),
      timeoutMs: 60_000,
      intervalMs: 100,
      what: `${flowing} sends at each vendor before the fault`,
    });
    faultAt = Date.now();
    await scenario.inject({ instance, vendors, profile, note: (text) => notes.push(text) });
    await new Promise((resolve) => setTimeout(resolve, profile.afterFaultMs)); // the load goes on after the fault: a duration, not a synchronisation
  } catch (error) {
    failures.push(`before/at the fault: ${(error as Error).message.split('\n')[0]}`);
  }
  const events = await load.finish();

  // Drain: every accepted event's notifications terminal in the instance's database, or the deadline.
  const database: Database = createDatabase(instance.stackEnv().DATABASE_URL ?? '', { max: 2, applicationName: 'fault-matrix' });
  const accepted = new Map(
    VENDORS.map((v) => [v, new Set(events.filter((e) => e.vendor === v && e.acceptedAt !== undefined).map((e) => e.marker))]),
  );
  const pushMarkers = new Map(
    VENDORS.map((v) => [v, new Set(events.filter((e) => e.vendor === v && e.acceptedAt !== undefined && e.withPush).map((e) => e.marker))]),
  );
  let drained = false;
  const rows = new Map<VendorKind, Awaited<ReturnType<typeof logRows>>>();
  const readRows = async () => {
    for (const v of VENDORS) rows.set(v, await logRows(database, tenants[v].tenantId, prefix));
    return VENDORS.every((v) => {
      const want = accepted.get(v) ?? new Set();
      const wantPush = pushMarkers.get(v) ?? new Set();
      const list = rows.get(v) ?? [];
      const terminalEmail = list.filter((r) => r.channel === 'EMAIL' && want.has(r.eventId) && TERMINAL.has(r.status)).length;
      const terminalPush = list.filter((r) => r.channel === 'PUSH' && wantPush.has(r.eventId) && TERMINAL.has(r.status)).length;
      return terminalEmail === want.size && terminalPush === wantPush.size;
    });
  };
  try {
    await pollUntil(readRows, {
      until: Boolean,
      timeoutMs: profile.drainTimeoutMs,
      intervalMs: 1_000,
      what: 'every accepted notification terminal',
    });
    drained = true;
  } catch (error) {
    failures.push(`not drained: ${(error as Error).message.split(';')[0]}`);
    await readRows().catch(() => false);
  }
  // Late sends (a sweeper's resend in flight) still count: wait until the vendors have been quiet a while.
  await quiet(() => VENDORS.reduce((sum, v) => sum + deliveries(v, vendors[v], prefix).total, 0), 4_000, 30_000);

  const results: VendorResult[] = [];
  for (const v of VENDORS) {
    const got = deliveries(v, vendors[v], prefix);
    const want = accepted.get(v) ?? new Set<string>();
    const list = rows.get(v) ?? [];
    const emailRow = new Map(list.filter((r) => r.channel === 'EMAIL').map((r) => [r.eventId, r]));
    const duplicated = [...got.count].filter(([, n]) => n > 1);
    const ids = duplicated.map(([marker]) => emailRow.get(marker)?.id).filter((id): id is string => id !== undefined);
    const ambiguous = await ambiguousAttempts(database, tenants[v].tenantId, ids).catch(() => new Map<string, number>());
    const backed = duplicated.filter(([marker, n]) => (ambiguous.get(emailRow.get(marker)?.id ?? '') ?? 0) >= n - 1).length;
    results.push({
      vendor: v,
      accepted: want.size,
      deliveredOnce: [...want].filter((m) => got.count.get(m) === 1).length,
      lost: [...want].filter((m) => (got.count.get(m) ?? 0) === 0).length,
      duplicated: duplicated.length,
      extraSends: duplicated.reduce((sum, [, n]) => sum + n - 1, 0),
      ambiguousBacked: backed,
      failed: [...want].filter((m) => emailRow.get(m)?.status === 'FAILED').length,
      notTerminal: [...want].filter((m) => !TERMINAL.has(emailRow.get(m)?.status ?? '')).length,
      deliveredUnaccepted: [...got.count.keys()].filter((m) => !want.has(m)).length,
      neverAccepted: events.filter((e) => e.vendor === v && e.acceptedAt === undefined).length,
      drainMs: got.lastAt === undefined ? undefined : Math.max(0, got.lastAt - faultAt),
    });
  }

  let push: ScenarioResult['push'];
  if (scenario.pushEvery) {
    let expected = 0;
    let sent = 0;
    for (const v of VENDORS) {
      const wantPush = pushMarkers.get(v) ?? new Set();
      expected += wantPush.size;
      sent += (rows.get(v) ?? []).filter((r) => r.channel === 'PUSH' && wantPush.has(r.eventId) && r.status === 'SENT').length;
    }
    push = { expected, sent };
    if (expected === 0) failures.push('no PUSH event was accepted');
    if (sent !== expected) failures.push(`PUSH: ${sent} of ${expected} SENT`);
  }
  await database.close();

  // No process may need a manual restart: every app up again (the supervisor may restart one, with back-off).
  const appsDown = await instance.appsDown(60_000);
  const appsRestarted = APPS.filter((app) => !appsDown.includes(app) && pidsBefore.get(app) !== instance.appPid(app));
  for (const app of appsDown) {
    failures.push(`${app} is down and nothing restarted it (log: ${instance.logDir}/${app}.log)`);
    console.warn(`[fault matrix] ${scenario.id}: ${app} down; its log ends with:\n${instance.logTail(app, 12)}`);
  }

  for (const r of results) {
    if (r.accepted === 0) failures.push(`${r.vendor}: no event was accepted`);
    if (r.lost > 0)
      failures.push(`${r.vendor}: ${r.lost} accepted events never delivered (${r.failed} FAILED, ${r.notTerminal} not terminal)`);
    if (r.vendor === 'resend' && r.duplicated > 0) failures.push(`resend (idempotent): ${r.duplicated} markers delivered more than once`);
    if (r.vendor === 'sendgrid' && r.ambiguousBacked < r.duplicated) {
      failures.push(`sendgrid: ${r.duplicated - r.ambiguousBacked} duplicated markers without as many recorded ambiguous attempts`);
    }
  }
  return {
    scenario,
    vendors: results,
    drained,
    appsDown,
    appsRestarted,
    appsStartedBefore,
    push,
    notes,
    passed: failures.length === 0,
    failures,
  };
}

/** Waits until no notification of either tenant is unfinished; returns how many still are at the deadline. */
async function settle(instance: FaultsInstance, tenants: Tenants, timeoutMs: number): Promise<number> {
  const database = createDatabase(instance.stackEnv().DATABASE_URL ?? '', { max: 2, applicationName: 'fault-matrix-settle' });
  const unfinished = async () => {
    let n = 0;
    for (const v of VENDORS) n += (await logRows(database, tenants[v].tenantId, 'f')).filter((r) => !TERMINAL.has(r.status)).length;
    return n;
  };
  try {
    return await pollUntil(unfinished, { until: (n) => n === 0, timeoutMs, intervalMs: 1_000, what: 'earlier scenarios to finish' });
  } catch {
    return unfinished().catch(() => -1);
  } finally {
    await database.close();
  }
}

/** Waits until each fake has received `n` more requests than it had when called. */
export async function afterRequests(vendors: Vendors, n: number): Promise<void> {
  const start = { resend: vendors.resend.received.length, sendgrid: vendors.sendgrid.received.length };
  await pollUntil(() => vendors.resend.received.length - start.resend >= n && vendors.sendgrid.received.length - start.sendgrid >= n, {
    until: Boolean,
    timeoutMs: 30_000,
    intervalMs: 20,
    what: `${n} requests at each vendor`,
  });
}

const both = (vendors: Vendors, patch: Parameters<FakeSendGrid['set']>[0]) => {
  vendors.resend.set(patch);
  vendors.sendgrid.set(patch);
};
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const FOREVER = Number.MAX_SAFE_INTEGER;

/** The matrix, in the order of the issue. */
export const SCENARIOS: Scenario[] = [
  ...(['api', 'worker', 'gateway'] as const).map((app): Scenario => ({
    id: `kill-${app}`,
    title: `kill -9 of the ${app}`,
    short: app === 'worker',
    inject: async ({ instance, note }) => {
      note(`killed ${app} pid ${instance.kill9(app)}`);
    },
  })),
  ...(['kafka', 'postgres', 'redis', 'centrifugo'] as const).map((component): Scenario => ({
    id: `restart-${component}`,
    title: `restart of ${component === 'postgres' ? 'PostgreSQL' : component === 'kafka' ? 'Kafka' : component === 'redis' ? 'Redis' : 'Centrifugo'}`,
    ...(component === 'centrifugo' ? { pushEvery: 3 } : {}),
    short: component === 'kafka' || component === 'postgres',
    inject: async ({ instance, note }) => {
      const started = Date.now();
      await instance.restart(component);
      note(`${component} stopped and started in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    },
  })),
  {
    id: 'vendor-500',
    title: 'vendor answers 500 for 10 s',
    inject: async ({ vendors, profile }) => {
      both(vendors, { fail5xx: FOREVER });
      await pause(profile.vendor500Ms);
      both(vendors, { fail5xx: 0 });
    },
  },
  {
    id: 'vendor-hang',
    title: 'vendor hangs (longer than the send timeout)',
    inject: async ({ vendors, profile }) => {
      both(vendors, { hang: true });
      await pause(profile.vendorHangMs);
      both(vendors, { hang: false });
    },
  },
  {
    // Item C: the breaker opens on a short burst of errors; as its cool-down ends, the trial call
    // times out (ambiguous). That trial must still resolve the half-open state.
    id: 'breaker-half-open',
    title: 'vendor fails briefly, then answers slowly as the breaker cools down',
    short: true,
    inject: async ({ vendors, instance }) => {
      const threshold = Number(instance.options.appSettings.BREAKER_THRESHOLD ?? '5');
      const cooldown = Number(instance.options.appSettings.BREAKER_COOLDOWN_MS ?? '1000');
      const timeout = Number(instance.options.appSettings.SEND_TIMEOUT_MS ?? '1000');
      both(vendors, { fail5xx: FOREVER });
      await afterRequests(vendors, threshold + 2);
      // Failing a while longer puts the breaker in its open → trial → open cycle (the late errors
      // of the calls in flight when it opened are over), so the next trial is the slow one.
      await pause(2.5 * cooldown);
      both(vendors, { fail5xx: 0, slowMs: 2 * timeout + 500 });
      await pause(cooldown + 2 * timeout + 1_000);
      vendors.resend.ok();
      vendors.sendgrid.ok();
    },
  },
];
