import { z } from 'zod';
import { MIN_PASSWORD_LENGTH } from './operator.service.js';

/** Longer passwords are refused before hashing (argon2 of megabytes is a denial of service). */
const MAX_PASSWORD_LENGTH = 1024;
const password = z.string().min(1).max(MAX_PASSWORD_LENGTH);

export const operatorLoginSchema = z
  .object({ username: z.string().min(1).max(128), password })
  .strict()
  .meta({ id: 'OperatorLogin' });

export const tenantLoginSchema = z
  .object({ email: z.string().min(3).max(320), password })
  .strict()
  .meta({ id: 'TenantAdminLogin' });

export const changePasswordSchema = z
  .object({
    currentPassword: password,
    newPassword: z.string().min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`).max(MAX_PASSWORD_LENGTH),
  })
  .strict()
  .meta({ id: 'ChangePassword' });

export const adminUserSchema = z
  .object({
    id: z.uuid(),
    type: z.enum(['operator', 'tenant_admin']),
    role: z.enum(['platform_operator', 'admin', 'viewer']),
    tenantId: z.uuid().nullable(),
    tenantName: z.string().nullable(),
    username: z.string().optional().meta({ description: 'Operators only' }),
    email: z.string().optional().meta({ description: 'Tenant admins only' }),
  })
  .meta({ id: 'AdminUser' });

export const accessSchema = z
  .object({
    success: z.literal(true),
    accessToken: z.string().meta({
      description: 'HS256 JWT for Authorization: Bearer, valid ADMIN_ACCESS_TOKEN_SECONDS (15 minutes by default; see expiresAt)',
    }),
    tokenType: z.literal('Bearer'),
    expiresAt: z.iso.datetime(),
    mustChangePassword: z
      .boolean()
      .meta({ description: 'true after a temporary password: only me and change-password are open until it is changed' }),
    user: adminUserSchema,
  })
  .meta({ id: 'AdminAccess' });

export const meSchema = z
  .object({ success: z.literal(true), user: adminUserSchema, mustChangePassword: z.boolean() })
  .meta({ id: 'AdminMe' });

export const okSchema = z.object({ success: z.literal(true) }).meta({ id: 'Ok' });
