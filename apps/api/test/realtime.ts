import { Centrifuge, type Subscription } from 'centrifuge';
import { SignJWT } from 'jose';
import { inject } from 'vitest';
import WebSocket from 'ws';
import { REALTIME_TOKEN_AUDIENCE, REALTIME_TOKEN_ISSUER } from '@orqestra/contracts';
import { stackEnv } from '@orqestra/testing';

export interface MintedToken {
  status: number;
  body: { token: string; channels: string[]; expiresAt: string; error?: { code: string; message: string } };
}

/** POST /api/v1/auth/realtime-token as a tenant backend does. */
export async function mintRealtimeToken(apiKey: string, body: unknown, apiUrl = inject('apiUrl')): Promise<MintedToken> {
  const response = await fetch(`${apiUrl}/api/v1/auth/realtime-token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as MintedToken['body'] };
}

/** A connection token made by hand with the stack's HMAC secret (for what the API would never issue). */
export function handMadeToken(
  claims: Record<string, unknown>,
  options: { audience?: string; issuer?: string; expiresIn?: string | number } = {},
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setAudience(options.audience ?? REALTIME_TOKEN_AUDIENCE)
    .setIssuer(options.issuer ?? REALTIME_TOKEN_ISSUER)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '5m')
    .sign(new TextEncoder().encode(stackEnv().centrifugoHmacSecret));
}

export function centrifugeClient(token: string): Centrifuge {
  return new Centrifuge(`${stackEnv().centrifugoUrl.replace(/^http/, 'ws')}/connection/websocket`, { token, websocket: WebSocket });
}

/** Subscribes and resolves with how it ended: subscribed, or the error Centrifugo answered. */
export function subscribeOutcome(
  subscription: Subscription,
): Promise<{ subscribed: true } | { subscribed: false; code: number; message: string }> {
  return new Promise((resolve) => {
    subscription.once('subscribed', () => resolve({ subscribed: true }));
    subscription.once('error', (ctx) => resolve({ subscribed: false, code: ctx.error.code, message: ctx.error.message }));
    subscription.once('unsubscribed', (ctx) => resolve({ subscribed: false, code: ctx.code, message: ctx.reason }));
    subscription.subscribe();
  });
}
