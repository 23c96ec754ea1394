import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withOperator } from '@orqestra/db';
import { FakeResend } from '@orqestra/providers';
import { pollUntil, serviceEnv, stackEnv, startService, type ServiceProcess } from '@orqestra/testing';
import {
  addProvider,
  closeAll,
  db,
  dispatch,
  newTenant,
  pendingNotification,
  startGateway,
  TOPIC_PREFIX,
  untilStatus,
} from '../test/harness.js';

// Dead letter → stored by the real worker → replayed with the operator CLI → delivered by the real
// gateway (SPEC §3 steps 4-5), all on the gateway suites' topics and database.
const dist = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const env = () => serviceEnv({ KAFKA_TOPIC_PREFIX: TOPIC_PREFIX, DATABASE_URL: stackEnv().gatewayDatabaseUrl });
const processes: ServiceProcess[] = [];
const resend = new FakeResend();

beforeAll(async () => {
  await resend.start();
  processes.push(await startGateway());
  processes.push(await startService(dist('api/dist/main.worker.js'), env(), async () => true, 'worker'));
});
afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  await resend.close();
  await closeAll();
});

async function orqestra(args: string[]) {
  const { stdout } = await promisify(execFile)('node', [dist('api/dist/main.cli.js'), ...args], { env: env() });
  return stdout;
}

describe('dead letters and replay', () => {
  it('stores the dead letter, and a replay with a reason delivers it under a new attempt series, audited', async () => {
    const tenantId = await newTenant();
    await addProvider(tenantId, {
      channel: 'EMAIL',
      provider: 'resend',
      credentials: { apiKey: resend.apiKey, fromAddress: 'orders@shop.example' },
      baseUrl: resend.url,
    });
    resend.set({ permanent: true });
    const message = await pendingNotification(
      tenantId,
      'EMAIL',
      { userId: 'u-dlq', email: 'ada@example.com' },
      { subject: 'Hi', html: '<p>Hi</p>' },
    );
    await dispatch(message);
    await untilStatus(tenantId, message.notificationId, 'FAILED');
    const stored = () =>
      withOperator(
        db(),
        'tests',
        (tx) =>
          tx.db.selectFrom('failed_notifications').selectAll().where('notification_id', '=', message.notificationId).executeTakeFirst(),
        { tenantId },
      );
    const letter = await pollUntil(stored, { what: 'the stored dead letter' });
    expect(letter).toMatchObject({ status: 'dead', channel: 'EMAIL', provider: 'resend', attempt_series: 1 });
    expect((letter!.payload as { content: unknown }).content).toEqual(message.content);

    expect(await orqestra(['dlq', 'replay', '--tenant', tenantId, '--provider', 'resend', '--dry-run'])).toMatch(
      /^1 dead letter\(s\) match/,
    );
    resend.ok();
    expect(
      await orqestra(['dlq', 'replay', message.notificationId, '--tenant', tenantId, '--reason', 'vendor fixed the sender domain']),
    ).toMatch(/attempt series 2/);
    const { log } = await untilStatus(tenantId, message.notificationId, 'SENT');
    expect(log.attempt_series).toBe(2);
    expect(resend.acceptedSends()).toBe(1);
    const after = await stored();
    expect(after).toMatchObject({ status: 'replayed', replay_count: 1, replay_reason: 'vendor fixed the sender domain' });
    const audit = await withOperator(
      db(),
      'tests',
      (tx) => tx.db.selectFrom('audit_logs').selectAll().where('resource_id', '=', message.notificationId).execute(),
      { tenantId },
    );
    expect(audit.map((a) => [a.action, a.actor_id])).toEqual([['dlq.replay', 'cli']]);
    // Nothing left to replay.
    expect(await orqestra(['dlq', 'replay', '--tenant', tenantId, '--dry-run'])).toMatch(/^0 dead letter/);
  });
});
