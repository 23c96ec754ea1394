/** The namespace every tenant's users subscribe to (infra/centrifugo/config.json). */
export const GLOBAL_NAMESPACE = 'global_system';

/**
 * User-limited channel of `namespace` for `sub` (Centrifugo's user boundary is `#`); `sub` is
 * `realtimeSubject(tenantId, userId)` from @orqestra/crypto.
 */
export function userChannel(namespace: string, sub: string): string {
  return `${namespace}#${sub}`;
}

/**
 * Realtime connection tokens (SPEC §2.4): HS256 with Centrifugo's HMAC secret. Centrifugo checks
 * `aud` and `iss` (infra/centrifugo/config.json, client.token.audience/issuer), and so do the
 * inbox routes that accept the same token as a Bearer credential.
 */
export const REALTIME_TOKEN_AUDIENCE = 'orqestra-realtime';
export const REALTIME_TOKEN_ISSUER = 'orqestra';

/**
 * Claims Orqestra adds to a realtime token besides the registered ones: the tenant and the
 * tenant's user id, so the inbox routes know whose inbox a Bearer token opens (the `sub` is a
 * one-way hash). Centrifugo ignores them.
 */
export interface RealtimeTokenClaims {
  sub: string;
  exp: number;
  iat: number;
  aud: string;
  iss: string;
  orq_tid: string;
  orq_uid: string;
}
