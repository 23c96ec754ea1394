import { checkBaseUrl, BaseUrlError } from '@orqestra/providers';
import { withOperator, type Database } from '@orqestra/db';
import { AppError } from '../../platform/errors.js';
import { appendAudit } from '../audit/audit.repository.js';
import { lockBaseUrlOverride, setBaseUrlOverride } from './provider.repository.js';
import { type Actor, auditBy } from '../../platform/auth/actor.js';

export interface BaseUrlView {
  providerId: string;
  tenantId: string;
  provider: string;
  channel: string;
  /** null = the vendor's own base URL. */
  baseUrl: string | null;
}

/**
 * Provider base-URL overrides (SPEC §5): only a platform operator sets one, only to https, and
 * never to an address that resolves to loopback or a private range — unless the deployment sets
 * its development flag (ALLOW_PRIVATE_PROVIDER_URLS), which tests use for the fake vendors. The
 * gateway checks the URL again whenever it builds an adapter.
 */
export class ProviderBaseUrlService {
  constructor(
    private readonly database: Database,
    private readonly allowPrivate: boolean,
  ) {}

  async set(actor: Actor, tenantId: string, providerId: string, baseUrl: string | null): Promise<BaseUrlView> {
    const checked = baseUrl === null ? null : await this.check(baseUrl);
    return withOperator(
      this.database,
      actor.id,
      async (tx) => {
        const before = await lockBaseUrlOverride(tx, tenantId, providerId);
        if (!before) throw new AppError('NOT_FOUND', { message: 'Provider configuration not found' });
        const after = await setBaseUrlOverride(tx, tenantId, providerId, checked);
        await appendAudit(tx, {
          ...auditBy(actor),
          tenantId,
          action: checked === null ? 'provider.base_url.clear' : 'provider.base_url.set',
          resourceType: 'provider_config',
          resourceId: providerId,
          before: { baseUrl: before.base_url_override },
          after: { baseUrl: after.base_url_override },
        });
        return {
          providerId: after.id,
          tenantId: after.tenant_id,
          provider: after.provider,
          channel: after.channel,
          baseUrl: after.base_url_override,
        };
      },
      { tenantId },
    );
  }

  private async check(value: string): Promise<string> {
    try {
      const url = await checkBaseUrl(value, { allowPrivate: this.allowPrivate });
      return url.href.replace(/\/+$/, '');
    } catch (error) {
      if (!(error instanceof BaseUrlError)) throw error;
      throw new AppError('BASE_URL_NOT_ALLOWED', {
        message: `The base URL was refused: ${error.message}`,
        details: [{ path: 'baseUrl', message: `${error.code}: ${error.message}` }],
      });
    }
  }
}
