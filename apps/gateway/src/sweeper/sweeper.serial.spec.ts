import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@orqestra/db';
import { FakeResend } from '@orqestra/providers';
import { pollUntil, type ServiceProcess } from '@orqestra/testing';
import { addProvider, captureDeadLetters, closeAll, db, newTenant, pendingNotification, startGateway, untilStatus } from '../../test/harness.js';

// What a crash can strand, and the sweeper bringing it back (SPEC §3). Rows are put in the state
// a dying process leaves them in; nothing is published for them — only the sweeper can.
let gateway: ServiceProcess;
const resend = new FakeResend();
let tenantId: string;
beforeAll(async () => {
  await resend.start();
  gateway = await startGateway();
  tenantId = await newTenant();
  await addProvider(tenantId, { channel: 'EMAIL', provider: 'resend', credentials: { apiKey: resend.apiKey, fromAddress: 'orders@shop.example' }, baseUrl: resend.url });
});
afterAll(async () => {
  await gateway.stop();
  await resend.close();
  await closeAll();
});

async function stranded(set: Record<string, unknown>) {
  const message = await pendingNotification(tenantId, 'EMAIL', { userId: 'u-sweep', email: 'ada@example.com' }, { subject: 'Hi', html: '<p>Hi</p>', text: 'Hi' });
  await withTenant(db(), { tenantId, actorType: 'system_tenant', actorId: 'tests' }, (tx) =>
    tx.db.updateTable('notification_logs').set(set).where('tenant_id', '=', tenantId).where('id', '=', message.notificationId).execute(),
  );
  return message;
}

describe('the sweeper', () => {
  it('dispatches a PENDING row whose dispatch message never went out', async () => {
    const message = await stranded({ created_at: sql`now() - interval '10 seconds'` });
    const { attempts } = await untilStatus(tenantId, message.notificationId, 'SENT');
    expect(attempts.map((a) => a.outcome)).toEqual(['sent']);
  });

  it('delivers a RETRYING row whose retry message was lost (gateway killed after writing RETRYING)', async () => {
    const message = await stranded({ status: 'RETRYING', attempt_number: 1, next_attempt_at: sql`now() - interval '5 seconds'` });
    const { log } = await untilStatus(tenantId, message.notificationId, 'SENT');
    expect(log.attempt_number).toBe(2);
  });

  it('takes back a SENDING row whose lease expired (gateway died mid-send), recording the ambiguous attempt', async () => {
    const message = await stranded({ status: 'SENDING', attempt_number: 1, lease_version: 1, lease_expires_at: sql`now() - interval '1 second'` });
    const { attempts } = await untilStatus(tenantId, message.notificationId, 'SENT');
    expect(attempts.map((a) => [a.outcome, a.ambiguous])).toEqual([['ambiguous', true], ['sent', false]]);
  });

  it('publishes the dead letter of a FAILED row that has none, but never for failures with nothing to replay', async () => {
    const letters = await captureDeadLetters();
    try {
      const failed = await stranded({ status: 'FAILED', attempt_number: 1, last_error_code: 'INVALID_RECIPIENT', last_error_message: 'rejected', updated_at: sql`now() - interval '5 seconds'` });
      const missing = await stranded({ status: 'FAILED', content: null, last_error_code: 'MISSING_RECIPIENT', updated_at: sql`now() - interval '5 seconds'` });
      const letter = await pollUntil(() => letters.letters.find((l) => l.notificationId === failed.notificationId), { what: 'the dead letter' });
      expect(letter?.lastError.code).toBe('INVALID_RECIPIENT');
      expect(letters.letters.some((l) => l.notificationId === missing.notificationId)).toBe(false);
    } finally {
      await letters.close();
    }
  });
});
