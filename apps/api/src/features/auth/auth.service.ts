import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { verify } from '@node-rs/argon2';
import type { Logger } from 'pino';
import { authAdminSession, authOperatorByUsername, authTenantAdminByEmail, withSystem, withTenant, type Database } from '@orqestra/db';
import { AccessTokens, type Principal, type PrincipalRole } from '../../platform/auth/access.js';
import type { RequestOrigin } from '../../platform/auth/actor.js';
import { AccessDenyList } from '../../platform/auth/access-deny-list.js';
import { AppError } from '../../platform/errors.js';
import { LOGGER } from '../../platform/platform.module.js';
import { CLOCK, DATABASE, type Clock } from '../../platform/tokens.js';
import { appendAudit } from '../audit/audit.repository.js';
import { hashPassword } from './operator.service.js';
import {
  asSubject,
  insertSession,
  loadSubject,
  markRotated,
  recordLogin,
  revokeFamily,
  revokeOtherFamilies,
  setPassword,
  type Subject,
  type SubjectRow,
} from './session.repository.js';
import type { LoginThrottle } from './login-throttle.store.js';

/** Operators sign in under /api/v1/admin, tenant admins under /api/v1/tenant. */
export type Realm = 'operator' | 'tenant';

export type RequestMeta = RequestOrigin;

export interface AdminUser {
  id: string;
  type: 'operator' | 'tenant_admin';
  role: PrincipalRole;
  tenantId: string | null;
  tenantName: string | null;
  /** Operators' username. */
  username?: string;
  /** Tenant admins' email. */
  email?: string;
}

export interface IssuedAccess {
  accessToken: string;
  expiresAt: Date;
  user: AdminUser;
  mustChangePassword: boolean;
}

export interface IssuedSession extends IssuedAccess {
  refreshToken: string;
  refreshExpiresAt: Date;
}

export const LOGIN_THROTTLE = Symbol('LOGIN_THROTTLE');
/** A refresh-token family lives 8 hours from login; rotation does not extend it (SPEC §6). */
export const SESSION_SECONDS = 8 * 60 * 60;
const SYSTEM_ACTOR = 'admin-auth';

interface Candidate {
  subject: Subject;
  passwordHash: string;
  active: boolean;
  tenantStatus: string | null;
}

/**
 * Admin sessions (SPEC §6): password login with throttling, refresh-token rotation with reuse
 * detection, logout, `me` and password change. Every session event is audited in the same
 * transaction as the change it records; failed logins of unknown people as `anonymous` with no tenant.
 */
@Injectable()
export class AuthService {
  /** Unknown users are verified against this, so they cost the same time as known ones. */
  private readonly dummyHash: Promise<string>;

  constructor(
    @Inject(DATABASE) private readonly database: Database,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly tokens: AccessTokens,
    private readonly denyList: AccessDenyList,
    @Inject(LOGIN_THROTTLE) private readonly throttle: LoginThrottle,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.dummyHash = hashPassword(randomBytes(24).toString('base64url'));
  }

  async login(realm: Realm, identifier: string, password: string, meta: RequestMeta): Promise<IssuedSession> {
    // Claimed before the password is checked, so concurrent guesses cannot all be checked (issue 13).
    await this.throttle.claim(realm, identifier, meta.ip);
    const candidate = await this.find(realm, identifier);
    const passwordOk = await verify(candidate?.passwordHash ?? (await this.dummyHash), password).catch(() => false);
    const refusal = !candidate
      ? 'unknown_user'
      : !passwordOk
        ? 'wrong_password'
        : !candidate.active
          ? 'disabled'
          : candidate.tenantStatus && candidate.tenantStatus !== 'active'
            ? `tenant_${candidate.tenantStatus}`
            : undefined;
    if (refusal || !candidate) {
      await this.auditFailedLogin(realm, identifier, candidate, refusal ?? 'unknown_user', meta);
      this.logger.info({ realm, reason: refusal, ip: meta.ip }, 'admin login refused');
      if (refusal === 'tenant_suspended') throw new AppError('TENANT_SUSPENDED');
      throw new AppError('INVALID_LOGIN');
    }
    await this.throttle.succeed(realm, identifier, meta.ip);
    const now = this.clock.now();
    const familyId = randomUUID();
    const refreshToken = newRefreshToken();
    const refreshExpiresAt = new Date(now.getTime() + SESSION_SECONDS * 1000);
    const row = await asSubject(this.database, candidate.subject, async (tx) => {
      const current = await loadSubject(tx, candidate.subject);
      if (!current) throw new AppError('INVALID_LOGIN');
      await insertSession(tx, {
        familyId,
        subject: candidate.subject,
        role: current.role,
        tokenHash: sha256(refreshToken),
        expiresAt: refreshExpiresAt,
        ip: meta.ip,
        userAgent: meta.userAgent,
      });
      await recordLogin(tx, candidate.subject, now);
      await appendAudit(tx, {
        ...this.actor(candidate.subject),
        action: 'auth.login',
        resourceType: 'admin_session',
        resourceId: familyId,
        ...auditMeta(meta),
      });
      return current;
    });
    this.logger.info({ realm, subjectId: row.id, tenantId: row.tenantId }, 'admin login');
    return { ...(await this.access(candidate.subject, row, familyId)), refreshToken, refreshExpiresAt };
  }

  /** Rotates the presented refresh token; an already-rotated one revokes its whole family. */
  async refresh(realm: Realm, token: string | undefined, meta: RequestMeta): Promise<IssuedSession> {
    const session = token ? await authAdminSession(this.database, sha256(token)) : undefined;
    if (!session || realmOf(session.subject_type) !== realm || session.revoked_at) throw new AppError('REFRESH_TOKEN_INVALID');
    const subject: Subject = { type: session.subject_type, id: session.subject_id, tenantId: session.tenant_id };
    const now = this.clock.now();
    if (!session.rotated_at && session.expires_at <= now) throw new AppError('REFRESH_TOKEN_INVALID');
    const refreshToken = newRefreshToken();
    const outcome = await asSubject(this.database, subject, async (tx) => {
      if (session.rotated_at || !(await markRotated(tx, session.session_id, now))) {
        const revoked = await revokeFamily(tx, session.family_id, 'refresh_reuse', now);
        if (revoked > 0) {
          await appendAudit(tx, {
            tenantId: subject.tenantId,
            actorType: 'anonymous',
            actorId: null,
            action: 'auth.refresh_reuse',
            resourceType: 'admin_session',
            resourceId: session.family_id,
            after: { subjectType: subject.type, subjectId: subject.id, revokedSessions: revoked },
            ...auditMeta(meta),
          });
        }
        return { kind: 'reuse' as const, revoked };
      }
      const current = await loadSubject(tx, subject);
      if (!current?.active) {
        await revokeFamily(tx, session.family_id, 'subject_inactive', now);
        return { kind: 'inactive' as const };
      }
      await insertSession(tx, {
        familyId: session.family_id,
        subject,
        role: current.role,
        tokenHash: sha256(refreshToken),
        expiresAt: session.expires_at,
        ip: meta.ip,
        userAgent: meta.userAgent,
      });
      return { kind: 'rotated' as const, current };
    });
    if (outcome.kind === 'reuse') {
      await this.denyList.denyFamilies([session.family_id]);
      this.logger.warn(
        { realm, subjectId: subject.id, tenantId: subject.tenantId, revoked: outcome.revoked },
        'admin refresh token reused: session family revoked',
      );
      throw new AppError('REFRESH_TOKEN_INVALID');
    }
    if (outcome.kind === 'inactive') {
      await this.denyList.denyFamilies([session.family_id]);
      throw new AppError('REFRESH_TOKEN_INVALID');
    }
    return { ...(await this.access(subject, outcome.current, session.family_id)), refreshToken, refreshExpiresAt: session.expires_at };
  }

  /** Ends the session of the presented refresh token (and of the bearer token's family, if any). */
  async logout(realm: Realm, token: string | undefined, principal: Principal | undefined, meta: RequestMeta): Promise<void> {
    const families = new Map<string, Subject>();
    const session = token ? await authAdminSession(this.database, sha256(token)) : undefined;
    if (session && realmOf(session.subject_type) === realm && !session.revoked_at) {
      families.set(session.family_id, { type: session.subject_type, id: session.subject_id, tenantId: session.tenant_id });
    }
    if (principal && realmOf(principal.subjectType) === realm) families.set(principal.sessionFamilyId, subjectOf(principal));
    // Denied first: if Redis is down the logout answers 503 and the caller retries, rather than
    // leaving access tokens of an ended session working for up to their lifetime (ADMIN_ACCESS_TOKEN_SECONDS).
    await this.denyList.denyFamilies(families.keys());
    const now = this.clock.now();
    for (const [familyId, subject] of families) {
      await asSubject(this.database, subject, async (tx) => {
        if ((await revokeFamily(tx, familyId, 'logout', now)) === 0) return;
        await appendAudit(tx, {
          ...this.actor(subject),
          action: 'auth.logout',
          resourceType: 'admin_session',
          resourceId: familyId,
          ...auditMeta(meta),
        });
      });
    }
  }

  async me(principal: Principal): Promise<{ user: AdminUser; mustChangePassword: boolean }> {
    const subject = subjectOf(principal);
    const row = await asSubject(this.database, subject, (tx) => loadSubject(tx, subject));
    if (!row?.active) throw new AppError('UNAUTHENTICATED');
    return { user: userOf(subject, row), mustChangePassword: row.mustChangePassword };
  }

  /**
   * Changes the caller's password (current one required), clears a temporary-password flag, ends
   * the person's other sessions and returns a fresh access token without the flag.
   */
  async changePassword(principal: Principal, currentPassword: string, newPassword: string, meta: RequestMeta): Promise<IssuedAccess> {
    const subject = subjectOf(principal);
    const scope = `password:${realmOf(subject.type)}`;
    await this.throttle.claim(scope, subject.id, meta.ip);
    const row = await asSubject(this.database, subject, (tx) => loadSubject(tx, subject));
    if (!row?.active) throw new AppError('UNAUTHENTICATED');
    if (!(await verify(row.passwordHash, currentPassword).catch(() => false))) {
      throw new AppError('VALIDATION_FAILED', {
        message: 'The current password is wrong',
        details: [{ path: 'currentPassword', message: 'does not match the current password' }],
      });
    }
    await this.throttle.succeed(scope, subject.id, meta.ip);
    if (newPassword === currentPassword) {
      throw new AppError('VALIDATION_FAILED', { details: [{ path: 'newPassword', message: 'must differ from the current password' }] });
    }
    const passwordHash = await hashPassword(newPassword);
    const now = this.clock.now();
    const { updated, ended } = await asSubject(this.database, subject, async (tx) => {
      await setPassword(tx, subject, passwordHash, now);
      const ended = await revokeOtherFamilies(tx, subject.id, principal.sessionFamilyId, 'password_change', now);
      await appendAudit(tx, {
        ...this.actor(subject),
        action: 'auth.password_change',
        resourceType: subject.type,
        resourceId: subject.id,
        after: { wasTemporary: row.mustChangePassword },
        ...auditMeta(meta),
      });
      return { updated: await loadSubject(tx, subject), ended };
    });
    await this.denyList.denyFamilies(ended);
    if (!updated) throw new AppError('UNAUTHENTICATED');
    this.logger.info({ subjectId: subject.id, tenantId: subject.tenantId }, 'admin password changed');
    return this.access(subject, updated, principal.sessionFamilyId);
  }

  private async find(realm: Realm, identifier: string): Promise<Candidate | undefined> {
    if (realm === 'operator') {
      const row = await authOperatorByUsername(this.database, identifier);
      return (
        row && {
          subject: { type: 'operator', id: row.operator_id, tenantId: null },
          passwordHash: row.password_hash,
          active: row.status === 'active',
          tenantStatus: null,
        }
      );
    }
    const row = await authTenantAdminByEmail(this.database, identifier);
    return (
      row && {
        subject: { type: 'tenant_admin', id: row.tenant_admin_id, tenantId: row.tenant_id },
        passwordHash: row.password_hash,
        active: row.status === 'active',
        tenantStatus: row.tenant_status,
      }
    );
  }

  /** Failed logins: in the admin's tenant when the admin exists, otherwise a platform entry. */
  private async auditFailedLogin(
    realm: Realm,
    identifier: string,
    candidate: Candidate | undefined,
    reason: string,
    meta: RequestMeta,
  ): Promise<void> {
    const entry = {
      actorType: 'anonymous' as const,
      actorId: null,
      action: 'auth.login_failed',
      resourceType: realm === 'operator' ? 'operator' : 'tenant_admin',
      resourceId: candidate?.subject.id,
      after: { reason, [realm === 'operator' ? 'username' : 'email']: identifier.slice(0, 320) },
      ...auditMeta(meta),
    };
    const tenantId = candidate?.subject.tenantId;
    if (tenantId) {
      await withTenant(this.database, { tenantId, actorType: 'system_tenant', actorId: SYSTEM_ACTOR }, (tx) =>
        appendAudit(tx, { ...entry, tenantId }),
      );
    } else {
      await withSystem(this.database, SYSTEM_ACTOR, (tx) => appendAudit(tx, { ...entry, tenantId: null }));
    }
  }

  private actor(subject: Subject) {
    return { tenantId: subject.tenantId, actorType: subject.type, actorId: subject.id };
  }

  private async access(subject: Subject, row: SubjectRow, familyId: string): Promise<IssuedAccess> {
    const { token, expiresAt } = await this.tokens.sign({
      subjectType: subject.type,
      subjectId: subject.id,
      role: row.role,
      tenantId: subject.tenantId,
      sessionFamilyId: familyId,
      mustChangePassword: row.mustChangePassword,
    });
    return { accessToken: token, expiresAt, user: userOf(subject, row), mustChangePassword: row.mustChangePassword };
  }
}

function userOf(subject: Subject, row: SubjectRow): AdminUser {
  return {
    id: subject.id,
    type: subject.type,
    role: row.role,
    tenantId: subject.tenantId,
    tenantName: row.tenantName,
    ...(subject.type === 'operator' ? { username: row.login } : { email: row.login }),
  };
}

function subjectOf(principal: Principal): Subject {
  return { type: principal.subjectType, id: principal.subjectId, tenantId: principal.tenantId };
}

function realmOf(subjectType: 'operator' | 'tenant_admin'): Realm {
  return subjectType === 'operator' ? 'operator' : 'tenant';
}

function auditMeta(meta: RequestMeta) {
  return { ip: meta.ip || undefined, userAgent: meta.userAgent, traceId: meta.traceId };
}

function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
