import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Channel } from '@orqestra/contracts';
import { last4, SecretPurpose, type SecretBox } from '@orqestra/crypto';
import { insertProviderConfig, type Database, type TenantTx } from '@orqestra/db';
import { BaseUrlError, checkBaseUrl, manifestFor, type TestConnectionResult } from '@orqestra/providers';
import type { Config } from '../../config.js';
import { AppError } from '../../platform/errors.js';
import { CONFIG, DATABASE, SECRET_BOX } from '../../platform/tokens.js';
import { appendAudit } from '../audit/audit.repository.js';
import { checkProviderInput } from './provider.service.js';
import type { CreateProviderBody, UpdateProviderBody } from './provider.schemas.js';
import {
  deleteProviderConfig,
  findProviderConfig,
  pageProviderConfigs,
  tenantExists,
  updateProviderConfig,
  type ProviderConfigPatch,
} from './provider.repository.js';
import { ProviderBreakerStore, type ProviderBreakerView } from './provider-breaker.store.js';
import { type Actor, auditBy, inOwnTenant, inTenantScope, tenantOf } from '../../platform/auth/actor.js';

/** How long a connection test may take before it answers UNREACHABLE. */
export const TEST_CONNECTION_TIMEOUT_MS = 10_000;

type Row = {
  id: string;
  tenant_id: string;
  channel: string;
  provider: string;
  priority: number;
  enabled: boolean;
  send_rate_per_second: number | null;
  base_url_override: string | null;
  settings: unknown;
  credentials_ciphertext: string;
  credentials_last4: string;
  created_at: Date;
  updated_at: Date;
};

export type ProviderView = ReturnType<typeof view>;

/**
 * A tenant admin's provider configs (SPEC §5, §6), inside the tenant of the access token (RLS:
 * actor tenant_admin). Credentials are write-only: validated against the provider's schema,
 * encrypted with the row id as authenticated data, shown back as their last 4 characters only.
 * A base-URL override is an operator's decision: a tenant admin sending one is refused.
 * Every change is audited in its own transaction, before/after without secrets.
 */
@Injectable()
export class TenantProviderService {
  constructor(
    @Inject(DATABASE) private readonly database: Database,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    @Inject(CONFIG) private readonly config: Config,
    private readonly breakers: ProviderBreakerStore,
  ) {}

  /** The tenant's configs with their breaker state as the gateways report it. */
  async list(actor: Actor, filter: { channel?: Channel; page: number; limit: number }) {
    return this.withBreakers(await this.inTenant(actor, async (tx) => page(await pageProviderConfigs(tx, tx.tenantId, filter))));
  }

  /** An operator's read-only view of a tenant's configs (tenant detail, Providers tab), breakers included. */
  async listForTenant(actor: Actor, tenantId: string, filter: { channel?: Channel; page: number; limit: number }) {
    const found = await inTenantScope(this.database, actor, tenantId, async (tx) => {
      if (!(await tenantExists(tx, tenantId))) throw new AppError('NOT_FOUND', { message: 'Tenant not found' });
      return page(await pageProviderConfigs(tx, tenantId, filter));
    });
    return this.withBreakers(found);
  }

  private async withBreakers({
    rows,
    total,
  }: {
    rows: ProviderView[];
    total: number;
  }): Promise<{ rows: (ProviderView & { breaker: ProviderBreakerView })[]; total: number }> {
    const breakers = await this.breakers.of(rows.map((r) => r.id));
    return { total, rows: rows.map((r) => ({ ...r, breaker: breakers.get(r.id)! })) };
  }

  async get(actor: Actor, id: string): Promise<ProviderView & { breaker: ProviderBreakerView }> {
    const found = await this.inTenant(actor, async (tx) => view(await this.find(tx, id)));
    return (await this.withBreakers({ rows: [found], total: 1 })).rows[0]!;
  }

  async create(actor: Actor, input: CreateProviderBody): Promise<ProviderView> {
    refuseBaseUrl(input.baseUrl);
    const { manifest, credentials } = await checkProviderInput(input, this.config.allowPrivateProviderUrls);
    const tenantId = tenantOf(actor);
    const id = randomUUID();
    return this.inTenant(actor, async (tx) => {
      const row = await insertProviderConfig(tx, {
        id,
        tenantId,
        channel: input.channel,
        provider: input.provider,
        priority: input.priority,
        enabled: input.enabled,
        sendRatePerSecond: input.sendRatePerSecond,
        settings: input.settings ?? {},
        credentialsCiphertext: this.box.encrypt(JSON.stringify(credentials), {
          purpose: SecretPurpose.providerCredentials,
          tenantId,
          rowId: id,
        }),
        credentialsLast4: last4(String(credentials[manifest.secretField] ?? '')),
      });
      const after = view(row);
      await appendAudit(tx, {
        tenantId,
        ...auditBy(actor),
        action: 'provider.create',
        resourceType: 'provider_config',
        resourceId: id,
        after,
      });
      return after;
    });
  }

  async update(actor: Actor, id: string, patch: UpdateProviderBody): Promise<ProviderView> {
    refuseBaseUrl(patch.baseUrl);
    return this.inTenant(actor, async (tx) => {
      const current = await this.find(tx, id, true);
      const changes: ProviderConfigPatch = {};
      if (patch.priority !== undefined) changes.priority = patch.priority;
      if (patch.enabled !== undefined) changes.enabled = patch.enabled;
      if (patch.sendRatePerSecond !== undefined) changes.send_rate_per_second = patch.sendRatePerSecond;
      if (patch.settings !== undefined) changes.settings = JSON.stringify(patch.settings);
      if (patch.credentials !== undefined) {
        const { manifest, credentials } = await checkProviderInput(
          { provider: current.provider, channel: current.channel as Channel, credentials: patch.credentials },
          this.config.allowPrivateProviderUrls,
        );
        changes.credentials_ciphertext = this.box.encrypt(JSON.stringify(credentials), {
          purpose: SecretPurpose.providerCredentials,
          tenantId: tx.tenantId,
          rowId: id,
        });
        changes.credentials_last4 = last4(String(credentials[manifest.secretField] ?? ''));
      }
      const row = await updateProviderConfig(tx, id, changes);
      const before = view(current);
      const after = view(row);
      await appendAudit(tx, {
        tenantId: tx.tenantId,
        ...auditBy(actor),
        action: 'provider.update',
        resourceType: 'provider_config',
        resourceId: id,
        // The credentials themselves never reach the trail: only that they changed (and their last 4).
        before,
        after: { ...after, ...(patch.credentials !== undefined ? { credentialsReplaced: true } : {}) },
      });
      return after;
    });
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.inTenant(actor, async (tx) => {
      const current = await this.find(tx, id, true);
      await deleteProviderConfig(tx, id);
      await appendAudit(tx, {
        tenantId: tx.tenantId,
        ...auditBy(actor),
        action: 'provider.delete',
        resourceType: 'provider_config',
        resourceId: id,
        before: view(current),
      });
    });
  }

  /**
   * Checks the stored credentials against the vendor with the adapter's `testConnection` (no
   * message is sent where the vendor allows it). The answer is a code only, never the vendor's
   * body. The vendor call runs outside any transaction; the audit entry is written after it.
   */
  async test(actor: Actor, id: string): Promise<TestConnectionResult | { ok: false; code: 'BASE_URL_REFUSED' }> {
    const row = await this.inTenant(actor, (tx) => this.find(tx, id));
    const result = await this.runTest(row);
    await this.inTenant(actor, (tx) =>
      appendAudit(tx, {
        tenantId: tx.tenantId,
        ...auditBy(actor),
        action: 'provider.test',
        resourceType: 'provider_config',
        resourceId: id,
        after: result,
      }),
    );
    return result;
  }

  private async runTest(row: Row): Promise<TestConnectionResult | { ok: false; code: 'BASE_URL_REFUSED' }> {
    const manifest = manifestFor(row.provider);
    if (row.base_url_override) {
      try {
        await checkBaseUrl(row.base_url_override, { allowPrivate: this.config.allowPrivateProviderUrls });
      } catch (error) {
        if (error instanceof BaseUrlError) return { ok: false, code: 'BASE_URL_REFUSED' };
        throw error;
      }
    }
    const credentials = JSON.parse(
      this.box.decrypt(row.credentials_ciphertext, { purpose: SecretPurpose.providerCredentials, tenantId: row.tenant_id, rowId: row.id }),
    ) as Record<string, unknown>;
    const adapter = manifest.create({
      credentials,
      ...(row.base_url_override ? { baseUrl: row.base_url_override } : {}),
      timeoutMs: TEST_CONNECTION_TIMEOUT_MS,
      allowPrivateAddresses: this.config.allowPrivateProviderUrls,
    });
    try {
      const result = await adapter.testConnection(AbortSignal.timeout(TEST_CONNECTION_TIMEOUT_MS));
      return result.ok ? { ok: true } : { ok: false, code: result.code };
    } catch {
      // Adapters answer with codes; anything thrown is still only a code here (never its message).
      return { ok: false, code: 'UNREACHABLE' };
    }
  }

  private async find(tx: TenantTx, id: string, forUpdate = false): Promise<Row> {
    const row = await findProviderConfig(tx, id, forUpdate);
    if (!row) throw new AppError('NOT_FOUND', { message: 'No such provider config in this tenant' });
    return row;
  }

  private inTenant<T>(actor: Actor, fn: (tx: TenantTx) => Promise<T>): Promise<T> {
    return inOwnTenant(this.database, actor, fn);
  }
}

function page({ rows, total }: { rows: Row[]; total: number }): { rows: ProviderView[]; total: number } {
  return { rows: rows.map(view), total };
}

function refuseBaseUrl(baseUrl: unknown): void {
  if (baseUrl !== undefined && baseUrl !== null) throw new AppError('BASE_URL_OPERATOR_ONLY');
}

function view(row: Row) {
  return {
    id: row.id,
    channel: row.channel as Channel,
    provider: row.provider,
    priority: row.priority,
    enabled: row.enabled,
    sendRatePerSecond: row.send_rate_per_second,
    baseUrlOverride: row.base_url_override,
    settings: (row.settings ?? {}) as Record<string, unknown>,
    credentialsLast4: row.credentials_last4,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
