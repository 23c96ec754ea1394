import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@orqestra/db';
import { FakeResend } from '@orqestra/providers';
import { pollUntil, type ServiceProcess } from '@orqestra/testing';
import {
  addProvider,
  captureDeadLetters,
  closeAll,
  db,
  newTenant,
  pendingNotification,
  startGateway,
  untilStatus,
} from '../../test/harness.js';

// What a crash can strand, and the sweeper bringing it back (SPEC §3). Rows are put in the state
// a dying process leaves them in; nothing is published for them — only the sweeper can.
let gateway: ServiceProcess;
const resend = new FakeResend();
let tenantId: string;
let configId: string;
beforeAll(async () => {
  await resend.start();
  gateway = await startGateway();
  tenantId = await newTenant();
  configId = await addProvider(tenantId, {
    channel: 'EMAIL',
    provider: 'resend',
    credentials: { apiKey: resend.apiKey, fromAddress: 'orders@shop.example' },
    baseUrl: resend.url,
  });
});
afterAll(async () => {
  await gateway.stop();
  await resend.close();
  await closeAll();
});

/** A row left in the state `set` describes, with `attempt` recorded first if given. */
async function stranded(set: Record<string, unknown>, attempt?: Record<string, unknown>) {
  const message = await pendingNotification(
    tenantId,
    'EMAIL',
    { userId: 'u-sweep', email: 'ada@example.com' },
    { subject: 'Hi', html: '<p>Hi</p>', text: 'Hi' },
  );
  await withTenant(db(), { tenantId, actorType: 'system_tenant', actorId: 'tests' }, async (tx) => {
    if (attempt) {
      await tx.db
        .insertInto('notification_attempts')
        .values({
          tenant_id: tenantId,
          notification_id: message.notificationId,
          attempt_series: 1,
          attempt_number: 1,
          provider: 'resend',
          started_at: new Date(),
          outcome: 'permanent',
          ...attempt,
        })
        .execute();
    }
    await tx.db
      .updateTable('notification_logs')
      .set(set)
      .where('tenant_id', '=', tenantId)
      .where('id', '=', message.notificationId)
      .execute();
  });
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
    const message = await stranded({
      status: 'SENDING',
      attempt_number: 1,
      lease_version: 1,
      lease_expires_at: sql`now() - interval '1 second'`,
    });
    const { attempts } = await untilStatus(tenantId, message.notificationId, 'SENT');
    expect(attempts.map((a) => [a.outcome, a.ambiguous])).toEqual([
      ['ambiguous', true],
      ['sent', false],
    ]);
  });

  it('publishes the dead letter of a FAILED row that has none, but never for failures with nothing to replay', async () => {
    const letters = await captureDeadLetters();
    try {
      // The letter carries the attempts as recorded, like one the dispatcher publishes at once.
      const failed = await stranded(
        {
          status: 'FAILED',
          attempt_number: 1,
          last_error_code: 'INVALID_RECIPIENT',
          last_error_message: 'rejected',
          updated_at: sql`now() - interval '5 seconds'`,
        },
        {
          provider_config_id: configId,
          duration_ms: 12,
          http_status: 422,
          error_code: 'INVALID_RECIPIENT',
          error_message: 'the recipient address is invalid',
        },
      );
      const missing = await stranded({
        status: 'FAILED',
        content: null,
        last_error_code: 'MISSING_RECIPIENT',
        updated_at: sql`now() - interval '5 seconds'`,
      });
      const letter = await pollUntil(() => letters.letters.find((l) => l.notificationId === failed.notificationId), {
        what: 'the dead letter',
      });
      expect(letter?.lastError.code).toBe('INVALID_RECIPIENT');
      expect(letter?.attempts).toEqual([
        expect.objectContaining({
          providerId: configId,
          provider: 'resend',
          httpStatus: 422,
          errorCode: 'INVALID_RECIPIENT',
          errorMessage: 'the recipient address is invalid',
        }),
      ]);
      expect(letters.letters.some((l) => l.notificationId === missing.notificationId)).toBe(false);
    } finally {
      await letters.close();
    }
  });
});
