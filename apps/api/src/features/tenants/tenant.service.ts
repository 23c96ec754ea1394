import { insertTenantWithApiKey, withOperator, type Database, type NewTenant } from '@orqestra/db';
import { generateApiKey } from '../../platform/api-keys.js';
import { appendAudit } from '../audit/audit.repository.js';

export interface CreatedTenant {
  tenantId: string;
  name: string;
  /** The live API key, shown once: only its hash is stored. */
  apiKey: string;
  apiKeyPrefix: string;
}

export class TenantService {
  constructor(private readonly database: Database) {}

  /** Creates a tenant with one live API key, audited in the same transaction. */
  async create(operatorId: string, input: NewTenant): Promise<CreatedTenant> {
    const key = generateApiKey('live');
    const { tenant, apiKey } = await withOperator(this.database, operatorId, async (tx) => {
      const created = await insertTenantWithApiKey(tx, { ...input, apiKeyHash: key.hash, displayPrefix: key.displayPrefix });
      await appendAudit(tx, {
        tenantId: created.tenant.id,
        actorType: 'operator',
        actorId: operatorId,
        action: 'tenant.create',
        resourceType: 'tenant',
        resourceId: created.tenant.id,
        after: { name: created.tenant.name, apiKeyPrefix: created.apiKey.display_prefix },
      });
      return created;
    });
    return { tenantId: tenant.id, name: tenant.name, apiKey: key.plaintext, apiKeyPrefix: apiKey.display_prefix };
  }
}
