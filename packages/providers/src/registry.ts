import type { Channel } from '@orqestra/contracts';
import { africasTalkingManifest } from './africastalking/manifest.js';
import { captureManifest } from './capture/manifest.js';
import { pushManifest } from './push/manifest.js';
import { resendManifest } from './resend/manifest.js';
import { sendGridManifest } from './sendgrid/manifest.js';
import { smtpManifest } from './smtp/manifest.js';
import { twilioManifest } from './twilio/manifest.js';
import type { AdapterOptions, Outcome, ProviderAdapter, ProviderManifest } from './types.js';

/**
 * A manifest as the registry holds it: credentials typed as a plain record. Its `create` checks
 * the credentials against the manifest's schema first (and applies its defaults); credentials that
 * do not pass give an adapter whose sends are provider-level failures (`PROVIDER_MISCONFIGURED`)
 * and whose `testConnection` answers `INVALID_CREDENTIALS` — never a throw.
 */
export type RegisteredManifest = ProviderManifest<Record<string, unknown>>;

export class UnknownProviderError extends Error {
  constructor(readonly providerId: string) {
    super(`unknown provider "${providerId}"`);
    this.name = 'UnknownProviderError';
  }
}

/**
 * Stands in for a provider config whose credentials cannot be used (they fail the manifest's schema,
 * or cannot be decrypted): every send is a provider-level permanent failure, so the next provider
 * of the channel takes over.
 */
export function misconfiguredAdapter(why: string): ProviderAdapter {
  const outcome: Outcome = { kind: 'permanent', level: 'provider', code: 'PROVIDER_MISCONFIGURED', message: why };
  return {
    send: () => Promise.resolve(outcome),
    testConnection: () => Promise.resolve({ ok: false, code: 'INVALID_CREDENTIALS' }),
  };
}

export function register<C extends Record<string, unknown>>(manifest: ProviderManifest<C>): RegisteredManifest {
  const { hostOf } = manifest;
  return {
    ...manifest,
    ...(hostOf
      ? {
          hostOf(credentials: Record<string, unknown>): string {
            const parsed = manifest.credentials.safeParse(credentials);
            return parsed.success ? hostOf(parsed.data) : '';
          },
        }
      : {}),
    create(options: AdapterOptions<Record<string, unknown>>): ProviderAdapter {
      const parsed = manifest.credentials.safeParse(options.credentials);
      return parsed.success
        ? manifest.create({ ...options, credentials: parsed.data })
        : misconfiguredAdapter(`${manifest.id} credentials do not match the provider's schema`);
    },
  };
}

/** Every provider by id (provider_configs.provider). Add a provider = one folder + one line here. */
export const PROVIDERS = {
  resend: register(resendManifest),
  sendgrid: register(sendGridManifest),
  smtp: register(smtpManifest),
  twilio: register(twilioManifest),
  africastalking: register(africasTalkingManifest),
  push: register(pushManifest),
  capture: register(captureManifest),
} as const satisfies Record<string, RegisteredManifest>;

export type ProviderId = keyof typeof PROVIDERS;

export function isProviderId(id: string): id is ProviderId {
  return Object.hasOwn(PROVIDERS, id);
}

/** The manifest of a provider id; throws `UnknownProviderError` for an id no manifest has. */
export function manifestFor(id: string): RegisteredManifest {
  if (!isProviderId(id)) throw new UnknownProviderError(id);
  return PROVIDERS[id];
}

/** The providers a tenant can configure for a channel (built-ins excluded). */
export function providersFor(channel: Channel): RegisteredManifest[] {
  return Object.values(PROVIDERS).filter((manifest) => !manifest.builtIn && manifest.channel === channel);
}
