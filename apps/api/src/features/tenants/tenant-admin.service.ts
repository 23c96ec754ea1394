import { insertTenantAdmin, tenantStatus, withOperator, type Database, type OperatorTx, type TenantAdminRow } from '@orqestra/db';
import type { AccessDenyList } from '../../platform/auth/access-deny-list.js';
import { AppError } from '../../platform/errors.js';
import { appendAudit } from '../audit/audit.repository.js';
import { hashPassword, temporaryPassword } from '../auth/operator.service.js';
import { revokeTenantAdminSessions } from '../auth/session.repository.js';
import { type Actor, assertLiveTenant, auditBy } from '../../platform/auth/actor.js';
import { type PageQuery } from '../../platform/query-params.js';
import {
  findTenantAdminByEmail,
  listTenantAdmins,
  lockTenantAdmin,
  setTemporaryPassword,
  setTenantAdminStatus,
} from './tenant-admin.repository.js';

export interface TenantAdminView {
  id: string;
  tenantId: string;
  email: string;
  role: 'admin' | 'viewer';
  status: 'active' | 'disabled';
  mustChangePassword: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

export interface WithTemporaryPassword {
  admin: TenantAdminView;
  /** Shown once; the admin must change it at first login. Only its argon2id hash is stored. */
  temporaryPassword: string;
}

const UNIQUE_VIOLATION = '23505';

/**
 * A tenant's console users as the operator manages them (SPEC §6): created with a temporary
 * password (shown once, change forced at first login), listed, reset — a reset also revokes
 * every refresh-token session of that admin — and disabled or enabled again. Email addresses are unique across all tenants.
 */
export class TenantAdminService {
  constructor(
    private readonly database: Database,
    private readonly denyList: AccessDenyList,
  ) {}

  async create(actor: Actor, tenantId: string, input: { email: string; role: 'admin' | 'viewer' }): Promise<WithTemporaryPassword> {
    const password = temporaryPassword();
    const passwordHash = await hashPassword(password);
    const row = await withOperator(this.database, actor.id, async (tx) => {
      await assertLiveTenant(tx, tenantId);
      const taken = await findTenantAdminByEmail(tx, input.email);
      if (taken) throw emailTaken();
      const inserted = await insertTenantAdmin(tx, {
        tenantId,
        email: input.email,
        passwordHash,
        role: input.role,
        mustChangePassword: true,
      }).catch((error: unknown) => {
        throw (error as { code?: string }).code === UNIQUE_VIOLATION ? emailTaken() : error;
      });
      await appendAudit(tx, {
        ...auditBy(actor),
        tenantId,
        action: 'tenant_admin.create',
        resourceType: 'tenant_admin',
        resourceId: inserted.id,
        after: { email: inserted.email, role: inserted.role, mustChangePassword: true },
      });
      return inserted;
    });
    return { admin: toView(row), temporaryPassword: password };
  }

  async list(actor: Actor, tenantId: string, page: PageQuery): Promise<{ admins: TenantAdminView[]; total: number }> {
    return withOperator(this.database, actor.id, async (tx) => {
      if ((await tenantStatus(tx, tenantId)) === undefined) throw new AppError('NOT_FOUND', { message: 'Tenant not found' });
      const { rows, total } = await listTenantAdmins(tx, tenantId, page);
      return { admins: rows.map(toView), total };
    });
  }

  /**
   * A new temporary password; the admin's sessions are revoked in the same transaction and their
   * access tokens refused from then on (deny list, written after the commit; Redis down → 503 and
   * the operator resets again).
   */
  async resetPassword(actor: Actor, tenantId: string, adminId: string): Promise<WithTemporaryPassword> {
    const password = temporaryPassword();
    const passwordHash = await hashPassword(password);
    const { row, endedFamilies } = await withOperator(this.database, actor.id, async (tx) => {
      await assertLiveTenant(tx, tenantId);
      const updated = await setTemporaryPassword(tx, tenantId, adminId, passwordHash);
      if (!updated) throw new AppError('NOT_FOUND', { message: 'Tenant admin not found' });
      const revoked = await revokeTenantAdminSessions(tx, tenantId, adminId, 'password_reset');
      const endedFamilies = new Set(revoked);
      await appendAudit(tx, {
        ...auditBy(actor),
        tenantId,
        action: 'tenant_admin.reset_password',
        resourceType: 'tenant_admin',
        resourceId: adminId,
        after: { mustChangePassword: true, sessionsRevoked: revoked.length },
      });
      return { row: updated, endedFamilies };
    });
    await this.denyList.denySubjectBefore(adminId);
    await this.denyList.denyFamilies(endedFamilies);
    return { admin: toView(row), temporaryPassword: password };
  }

  /**
   * Disables a tenant admin or viewer: sign-in is refused from then on (as for a wrong password),
   * every refresh-token session is revoked in the same transaction, and every access token already
   * issued is refused at once (deny list, written after the commit; Redis down → 503 and the
   * operator disables again, which writes the deny list again). Disabling a disabled admin writes no
   * audit entry.
   */
  async disable(actor: Actor, tenantId: string, adminId: string): Promise<{ admin: TenantAdminView; sessionsRevoked: number }> {
    const { row, endedFamilies, changed } = await withOperator(this.database, actor.id, async (tx) => {
      await assertLiveTenant(tx, tenantId);
      const current = await this.find(tx, tenantId, adminId);
      if (current.status === 'disabled') return { row: current, endedFamilies: new Set<string>(), changed: false };
      const updated = await setTenantAdminStatus(tx, tenantId, adminId, 'disabled');
      const revoked = await revokeTenantAdminSessions(tx, tenantId, adminId, 'admin_disabled');
      await appendAudit(tx, {
        ...auditBy(actor),
        tenantId,
        action: 'tenant_admin.disable',
        resourceType: 'tenant_admin',
        resourceId: adminId,
        before: { status: current.status },
        after: { status: 'disabled', sessionsRevoked: revoked.length },
      });
      return { row: updated, endedFamilies: new Set(revoked), changed: true };
    });
    // Also when it was disabled already: a repeat after a 503 (Redis down) still refuses the old tokens.
    await this.denyList.denySubjectBefore(adminId);
    if (changed) await this.denyList.denyFamilies(endedFamilies);
    return { admin: toView(row), sessionsRevoked: endedFamilies.size };
  }

  /** Lets a disabled admin sign in again with their current password (their old sessions stay ended). */
  async enable(actor: Actor, tenantId: string, adminId: string): Promise<{ admin: TenantAdminView }> {
    const row = await withOperator(this.database, actor.id, async (tx) => {
      await assertLiveTenant(tx, tenantId);
      const current = await this.find(tx, tenantId, adminId);
      if (current.status === 'active') return current;
      const updated = await setTenantAdminStatus(tx, tenantId, adminId, 'active');
      await appendAudit(tx, {
        ...auditBy(actor),
        tenantId,
        action: 'tenant_admin.enable',
        resourceType: 'tenant_admin',
        resourceId: adminId,
        before: { status: current.status },
        after: { status: 'active' },
      });
      return updated;
    });
    return { admin: toView(row) };
  }

  private async find(tx: OperatorTx, tenantId: string, adminId: string): Promise<TenantAdminRow> {
    const row = await lockTenantAdmin(tx, tenantId, adminId);
    if (!row) throw new AppError('NOT_FOUND', { message: 'Tenant admin not found' });
    return row;
  }
}

function emailTaken(): AppError {
  return new AppError('CONFLICT', {
    message: 'This email address already belongs to a tenant admin',
    details: [{ path: 'email', message: 'is already in use' }],
  });
}

function toView(row: TenantAdminRow): TenantAdminView {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    email: row.email,
    role: row.role,
    status: row.status,
    mustChangePassword: row.must_change_password,
    createdAt: row.created_at.toISOString(),
    lastLoginAt: row.last_login_at?.toISOString() ?? null,
  };
}
