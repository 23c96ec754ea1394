import { sql } from 'kysely';
import { insertApiKey, type TenantTx } from '@orqestra/db';

/** A sandbox session as the database knows it: through its oq_test_ key's row (api_keys). */
export interface SessionKeyRow {
  apiKeyId: string;
  keyHash: string;
  displayPrefix: string;
  sessionId: string;
  status: 'active' | 'revoked';
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

export interface CapturedMessageRow {
  id: string;
  notificationId: string;
  channel: 'EMAIL' | 'SMS' | 'PUSH';
  eventType: string | null;
  recipient: string | null;
  content: unknown;
  createdAt: Date;
}

const SESSION_COLUMNS = [
  'id',
  'key_hash',
  'display_prefix',
  'sandbox_session_id',
  'status',
  'created_at',
  'expires_at',
  'revoked_at',
] as const;

type SessionSelect = {
  id: string;
  key_hash: string;
  display_prefix: string;
  sandbox_session_id: string | null;
  status: 'active' | 'revoked';
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
};

function toSession(row: SessionSelect): SessionKeyRow {
  return {
    apiKeyId: row.id,
    keyHash: row.key_hash,
    displayPrefix: row.display_prefix,
    sessionId: row.sandbox_session_id ?? '',
    status: row.status,
    createdAt: row.created_at,
    expiresAt: row.expires_at ?? row.created_at,
    revokedAt: row.revoked_at,
  };
}

/** Queries of sandbox sessions, always inside the tenant's transaction (RLS is the backstop). */
export const sandboxRepository = {
  async insertSessionKey(
    tx: TenantTx,
    input: { sessionId: string; keyHash: string; displayPrefix: string; expiresAt: Date },
  ): Promise<string> {
    const row = await insertApiKey(tx, {
      keyHash: input.keyHash,
      displayPrefix: input.displayPrefix,
      mode: 'sandbox',
      expiresAt: input.expiresAt,
      sandboxSessionId: input.sessionId,
    });
    return row.id;
  },

  async findSession(tx: TenantTx, sessionId: string): Promise<SessionKeyRow | undefined> {
    const row = await tx.db
      .selectFrom('api_keys')
      .select(SESSION_COLUMNS)
      .where('tenant_id', '=', tx.tenantId)
      .where('mode', '=', 'sandbox')
      .where('sandbox_session_id', '=', sessionId)
      .executeTakeFirst();
    return row ? toSession(row) : undefined;
  },

  /** Revokes the session's key if it is still active; false when it already was revoked. */
  async revokeSessionKey(tx: TenantTx, apiKeyId: string): Promise<boolean> {
    const result = await tx.db
      .updateTable('api_keys')
      .set({ status: 'revoked', revoked_at: sql<Date>`now()` })
      .where('tenant_id', '=', tx.tenantId)
      .where('id', '=', apiKeyId)
      .where('status', '=', 'active')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  },

  async listActiveSessions(
    tx: TenantTx,
    now: Date,
    page: { offset: number; limit: number },
  ): Promise<{ rows: SessionKeyRow[]; total: number }> {
    const base = tx.db
      .selectFrom('api_keys')
      .where('tenant_id', '=', tx.tenantId)
      .where('mode', '=', 'sandbox')
      .where('status', '=', 'active')
      .where('expires_at', '>', now);
    const rows = await base
      .select(SESSION_COLUMNS)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
    return { rows: rows.map(toSession), total };
  },

  async listMessages(
    tx: TenantTx,
    sessionId: string,
    page: { offset: number; limit: number },
  ): Promise<{ rows: CapturedMessageRow[]; total: number }> {
    const base = tx.db.selectFrom('sandbox_messages').where('tenant_id', '=', tx.tenantId).where('sandbox_session_id', '=', sessionId);
    const rows = await base
      .select(['id', 'notification_id', 'channel', 'event_type', 'recipient', 'content', 'created_at'])
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .offset(page.offset)
      .limit(page.limit)
      .execute();
    const count = await base.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow();
    return {
      rows: rows.map((r) => ({
        id: r.id,
        notificationId: r.notification_id,
        channel: r.channel,
        eventType: r.event_type,
        recipient: r.recipient,
        content: r.content,
        createdAt: r.created_at,
      })),
      total: Number(count.total),
    };
  },
};
