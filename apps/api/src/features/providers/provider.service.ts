import { randomUUID } from 'node:crypto';
import type { Channel } from '@orqestra/contracts';
import { last4, type SecretBox } from '@orqestra/crypto';
import { insertProviderConfig, withOperator, type Database } from '@orqestra/db';
import { BaseUrlError, checkBaseUrl, checkHost, manifestFor, type RegisteredManifest } from '@orqestra/providers';
import { AppError } from '../../platform/errors.js';
import { toDetails } from '../../platform/json-body.js';
import { listProviderConfigs } from './provider.repository.js';

export interface ProviderConfigInput {
  tenantId: string;
  channel: Channel;
  provider: string;
  credentials: unknown;
  baseUrl?: string;
  priority?: number;
  sendRatePerSecond?: number;
  enabled?: boolean;
}

export interface ProviderConfigView {
  id: string;
  channel: string;
  provider: string;
  priority: number;
  enabled: boolean;
  sendRatePerSecond: number | null;
  baseUrlOverride: string | null;
  /** The secret is write-only: only its last characters are ever shown. */
  credentialsLast4: string;
}

/**
 * A tenant's provider configs as an operator writes them (the CLI's `provider add|list`, SPEC §5),
 * where a base-URL override may come with the config. Credentials are validated against the provider's schema,
 * encrypted with the row id as authenticated data (so the id is chosen here, before the insert),
 * and never returned. A base-URL override is an operator's decision and must pass the SPEC §5
 * rules (https, no loopback/private address unless the development flag is set).
 */
export class ProviderService {
  constructor(
    private readonly database: Database,
    private readonly box: SecretBox,
    private readonly allowPrivateUrls: boolean,
  ) {}

  async add(operatorId: string, input: ProviderConfigInput): Promise<ProviderConfigView> {
    const { manifest, credentials: parsed } = await checkProviderInput(input, this.allowPrivateUrls);
    if (input.baseUrl !== undefined) {
      try {
        await checkBaseUrl(input.baseUrl, { allowPrivate: this.allowPrivateUrls });
      } catch (error) {
        if (error instanceof BaseUrlError)
          throw new AppError('VALIDATION_FAILED', { details: [{ path: 'baseUrl', message: error.message }] });
        throw error;
      }
    }
    const id = randomUUID();
    const secret = String(parsed[manifest.secretField] ?? '');
    const row = await withOperator(
      this.database,
      operatorId,
      (tx) =>
        insertProviderConfig(tx, {
          id,
          tenantId: input.tenantId,
          channel: input.channel,
          provider: input.provider,
          priority: input.priority,
          enabled: input.enabled,
          sendRatePerSecond: input.sendRatePerSecond,
          baseUrlOverride: input.baseUrl,
          credentialsCiphertext: this.box.encrypt(JSON.stringify(parsed), {
            purpose: 'provider_credentials',
            tenantId: input.tenantId,
            rowId: id,
          }),
          credentialsLast4: last4(secret),
        }),
      { tenantId: input.tenantId },
    );
    return view(row);
  }

  async list(operatorId: string, tenantId: string): Promise<ProviderConfigView[]> {
    const rows = await withOperator(this.database, operatorId, (tx) => listProviderConfigs(tx, tenantId), { tenantId });
    return rows.map(view);
  }
}

/**
 * Checks a provider config's provider, channel and credentials (the provider's zod schema, and for
 * SMTP the host by the SPEC §5 address rules); returns the manifest and the parsed credentials.
 * Shared by the operator CLI and the tenant-admin API.
 */
export async function checkProviderInput(
  input: { provider: string; channel: Channel; credentials: unknown },
  allowPrivateUrls: boolean,
): Promise<{ manifest: RegisteredManifest; credentials: Record<string, unknown> }> {
  let manifest: RegisteredManifest;
  try {
    manifest = manifestFor(input.provider);
  } catch {
    throw new AppError('VALIDATION_FAILED', { details: [{ path: 'provider', message: `unknown provider "${input.provider}"` }] });
  }
  if (manifest.builtIn) {
    throw new AppError('VALIDATION_FAILED', {
      details: [{ path: 'provider', message: `${input.provider} is built in and needs no config` }],
    });
  }
  if (manifest.channel !== input.channel) {
    throw new AppError('VALIDATION_FAILED', {
      details: [{ path: 'channel', message: `${input.provider} delivers ${manifest.channel}, not ${input.channel}` }],
    });
  }
  const parsed = manifest.credentials.safeParse(input.credentials);
  if (!parsed.success)
    throw new AppError('VALIDATION_FAILED', {
      details: toDetails(parsed.error.issues).map((d) => ({ ...d, path: `credentials.${d.path}` })),
    });
  const host = manifest.hostOf?.(parsed.data);
  if (host !== undefined) {
    try {
      // SMTP hosts follow the same rule as base URLs (SPEC §5).
      await checkHost(host, { allowPrivate: allowPrivateUrls });
    } catch (error) {
      if (error instanceof BaseUrlError)
        throw new AppError('VALIDATION_FAILED', { details: [{ path: 'credentials.host', message: error.message }] });
      throw error;
    }
  }
  return { manifest, credentials: parsed.data };
}

function view(row: {
  id: string;
  channel: string;
  provider: string;
  priority: number;
  enabled: boolean;
  send_rate_per_second: number | null;
  base_url_override: string | null;
  credentials_last4: string;
}): ProviderConfigView {
  return {
    id: row.id,
    channel: row.channel,
    provider: row.provider,
    priority: row.priority,
    enabled: row.enabled,
    sendRatePerSecond: row.send_rate_per_second,
    baseUrlOverride: row.base_url_override,
    credentialsLast4: row.credentials_last4,
  };
}
