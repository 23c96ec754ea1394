import { withOperator, withTenant, type Database, type OperatorTx, type TenantTx } from '@orqestra/db';

/**
 * Rows of admin_sessions and the signed-in people behind them, always in the subject's own
 * context: a tenant admin's rows inside its tenant (actor tenant_admin), an operator's as that
 * operator. The look-up by token hash that comes first goes through auth_admin_session.
 */
export type SubjectTx = TenantTx | OperatorTx;

export interface Subject {
  type: 'operator' | 'tenant_admin';
  id: string;
  /** null for operators. */
  tenantId: string | null;
}

export function asSubject<T>(database: Database, subject: Subject, fn: (tx: SubjectTx) => Promise<T>): Promise<T> {
  if (subject.type === 'operator') return withOperator(database, subject.id, fn);
  return withTenant(database, { tenantId: subject.tenantId!, actorType: 'tenant_admin', actorId: subject.id }, fn);
}

export interface NewSession {
  familyId: string;
  subject: Subject;
  role: 'platform_operator' | 'admin' | 'viewer';
  tokenHash: string;
  expiresAt: Date;
  ip: string;
  userAgent?: string;
}

export async function insertSession(tx: SubjectTx, session: NewSession): Promise<void> {
  await tx.db
    .insertInto('admin_sessions')
    .values({
      family_id: session.familyId,
      tenant_id: session.subject.tenantId,
      subject_type: session.subject.type,
      subject_id: session.subject.id,
      role: session.role,
      token_hash: session.tokenHash,
      expires_at: session.expiresAt,
      ip: session.ip || null,
      user_agent: session.userAgent ?? null,
    })
    .execute();
}

/** Marks a live session rotated; false when it was rotated or revoked meanwhile (a concurrent use). */
export async function markRotated(tx: SubjectTx, sessionId: string, now: Date): Promise<boolean> {
  const row = await tx.db
    .updateTable('admin_sessions')
    .set({ rotated_at: now })
    .where('id', '=', sessionId)
    .where('rotated_at', 'is', null)
    .where('revoked_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function revokeFamily(tx: SubjectTx, familyId: string, reason: string, now: Date): Promise<number> {
  const rows = await tx.db
    .updateTable('admin_sessions')
    .set({ revoked_at: now, revoked_reason: reason })
    .where('family_id', '=', familyId)
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute();
  return rows.length;
}

/** Every live session of one person except one family (a password change ends the others); returns the ended families. */
export async function revokeOtherFamilies(
  tx: SubjectTx,
  subjectId: string,
  keepFamilyId: string,
  reason: string,
  now: Date,
): Promise<string[]> {
  const rows = await tx.db
    .updateTable('admin_sessions')
    .set({ revoked_at: now, revoked_reason: reason })
    .where('subject_id', '=', subjectId)
    .where('family_id', '!=', keepFamilyId)
    .where('revoked_at', 'is', null)
    .returning('family_id')
    .execute();
  return rows.map((row) => row.family_id);
}

/** The signed-in person as the database knows them now. */
export interface SubjectRow {
  id: string;
  tenantId: string | null;
  tenantName: string | null;
  /** Username of an operator, email of a tenant admin. */
  login: string;
  role: 'platform_operator' | 'admin' | 'viewer';
  passwordHash: string;
  mustChangePassword: boolean;
  /** Active person in an active tenant (operators have no tenant). */
  active: boolean;
  tenantStatus: 'active' | 'suspended' | 'deleted' | null;
}

export async function loadSubject(tx: SubjectTx, subject: Subject): Promise<SubjectRow | undefined> {
  if (subject.type === 'operator') {
    const row = await tx.db
      .selectFrom('operators')
      .select(['id', 'username', 'password_hash', 'must_change_password', 'status'])
      .where('id', '=', subject.id)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      id: row.id,
      tenantId: null,
      tenantName: null,
      login: row.username,
      role: 'platform_operator',
      passwordHash: row.password_hash,
      mustChangePassword: row.must_change_password,
      active: row.status === 'active',
      tenantStatus: null,
    };
  }
  const row = await tx.db
    .selectFrom('tenant_admins as a')
    .innerJoin('tenants as t', 't.id', 'a.tenant_id')
    .select([
      'a.id',
      'a.tenant_id',
      'a.email',
      'a.role',
      'a.password_hash',
      'a.must_change_password',
      'a.status',
      't.name',
      't.status as tenant_status',
    ])
    .where('a.id', '=', subject.id)
    .where('a.tenant_id', '=', subject.tenantId!)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    tenantId: row.tenant_id,
    tenantName: row.name,
    login: row.email,
    role: row.role,
    passwordHash: row.password_hash,
    mustChangePassword: row.must_change_password,
    active: row.status === 'active' && row.tenant_status === 'active',
    tenantStatus: row.tenant_status,
  };
}

export async function recordLogin(tx: SubjectTx, subject: Subject, now: Date): Promise<void> {
  if (subject.type === 'operator') await tx.db.updateTable('operators').set({ last_login_at: now }).where('id', '=', subject.id).execute();
  else await tx.db.updateTable('tenant_admins').set({ last_login_at: now }).where('id', '=', subject.id).execute();
}

export async function setPassword(tx: SubjectTx, subject: Subject, passwordHash: string, now: Date): Promise<void> {
  const values = { password_hash: passwordHash, must_change_password: false, updated_at: now };
  if (subject.type === 'operator') await tx.db.updateTable('operators').set(values).where('id', '=', subject.id).execute();
  else await tx.db.updateTable('tenant_admins').set(values).where('id', '=', subject.id).execute();
}

/**
 * Revokes every live session of a tenant's admins (a suspension or deletion of the tenant);
 * returns the family of each session revoked.
 */
export async function revokeTenantSessions(tx: OperatorTx, tenantId: string, reason: string): Promise<string[]> {
  const rows = await tx.db
    .updateTable('admin_sessions')
    .set({ revoked_at: new Date(), revoked_reason: reason })
    .where('tenant_id', '=', tenantId)
    .where('revoked_at', 'is', null)
    .returning('family_id')
    .execute();
  return rows.map((row) => row.family_id);
}

/**
 * Revokes every live session of one tenant admin (a password reset, a disable by the operator);
 * returns the family of each session revoked.
 */
export async function revokeTenantAdminSessions(tx: OperatorTx, tenantId: string, adminId: string, reason: string): Promise<string[]> {
  const rows = await tx.db
    .updateTable('admin_sessions')
    .set({ revoked_at: new Date(), revoked_reason: reason })
    .where('subject_id', '=', adminId)
    .where('tenant_id', '=', tenantId)
    .where('revoked_at', 'is', null)
    .returning('family_id')
    .execute();
  return rows.map((row) => row.family_id);
}
