import { DecryptionError, type SecretBox } from '@orqestra/crypto';
import { withSystem, type Database } from '@orqestra/db';
import { listProviderCredentials, listWebhookSecrets, replaceProviderCredentials, replaceWebhookSecret } from './credentials.repository.js';

export interface ReencryptReport {
  checked: number;
  reencrypted: number;
  failed: { table: string; id: string; reason: string }[];
}

/**
 * After a master-key rotation (packages/crypto/README.md): every secret at rest that is sealed
 * with a key other than the active one is opened and sealed again with the active key. Runs as
 * the `system` actor, whose policies allow exactly these columns. A row that changed meanwhile is
 * left alone (the update matches the old ciphertext); a row that cannot be opened is reported,
 * not skipped silently.
 */
export class CredentialsService {
  constructor(
    private readonly database: Database,
    private readonly box: SecretBox,
  ) {}

  async reencrypt(options: { dryRun: boolean }): Promise<ReencryptReport> {
    const report: ReencryptReport = { checked: 0, reencrypted: 0, failed: [] };
    await withSystem(this.database, 'reencrypt', async (tx) => {
      const configs = await listProviderCredentials(tx);
      for (const row of configs) {
        report.checked++;
        const next = this.reseal(
          row.credentials_ciphertext,
          { purpose: 'provider_credentials', tenantId: row.tenant_id, rowId: row.id },
          'provider_configs',
          row.id,
          report,
        );
        if (next && !options.dryRun) {
          await replaceProviderCredentials(tx, row.id, row.credentials_ciphertext, next);
        }
      }
      const tenants = await listWebhookSecrets(tx);
      for (const row of tenants) {
        for (const [column, purpose] of [
          ['webhook_secret_ciphertext', 'webhook_secret'],
          ['webhook_secret_previous_ciphertext', 'webhook_secret_previous'],
        ] as const) {
          const current = row[column];
          if (!current) continue;
          report.checked++;
          const next = this.reseal(current, { purpose, tenantId: row.id, rowId: row.id }, `tenants.${column}`, row.id, report);
          if (next && !options.dryRun) {
            await replaceWebhookSecret(tx, row.id, column, current, next);
          }
        }
      }
    });
    return report;
  }

  private reseal(
    ciphertext: string,
    context: { purpose: string; tenantId: string; rowId: string },
    table: string,
    id: string,
    report: ReencryptReport,
  ): string | undefined {
    try {
      if (!this.box.needsReencryption(ciphertext)) return undefined;
      const next = this.box.reencrypt(ciphertext, context);
      report.reencrypted++;
      return next;
    } catch (error) {
      report.failed.push({ table, id, reason: error instanceof DecryptionError ? error.reason : 'ERROR' });
      return undefined;
    }
  }
}
