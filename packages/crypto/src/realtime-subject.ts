import { createHash } from 'node:crypto';

/**
 * The Centrifugo user (`sub`) for a tenant's user, SPEC §2.4:
 * base64url(SHA-256(tenantId ‖ 0x00 ‖ userId)). Opaque, 43 characters, free of the characters
 * Centrifugo gives meaning to (`:` `#` `,` `$`), and different for the same userId in two
 * tenants. Everything that needs a subject calls this function.
 *
 * It lives here rather than in `@orqestra/contracts` because it needs `node:crypto`, and
 * contracts is shared with the browser. The channel names built from it (`GLOBAL_NAMESPACE`,
 * `userChannel()`) stay in contracts.
 */
export function realtimeSubject(tenantId: string, userId: string): string {
  return createHash('sha256')
    .update(tenantId, 'utf8')
    .update(Buffer.from([0]))
    .update(userId, 'utf8')
    .digest('base64url');
}
