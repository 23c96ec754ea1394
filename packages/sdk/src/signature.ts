import { createHmac } from 'node:crypto';

/**
 * X-Orqestra-Signature: the lower-case hex HMAC-SHA256 of the exact body bytes, keyed with the
 * tenant's webhook secret (the API checks it on every call that carries a body, an empty one
 * included). Sign the bytes that are sent, never a re-serialisation of them.
 */
export function signBody(secret: string, body: string | Uint8Array): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}
