import { parseKeyring, SecretBox } from '@orqestra/crypto';
import { parseOptions, withCliDatabase, type Command } from '../../cli/command.js';
import { CredentialsService } from './credentials.service.js';

export const credentialsReencryptCommand: Command = {
  path: ['credentials', 're-encrypt'],
  usage: 'credentials re-encrypt [--dry-run]',
  summary: 'seal every stored secret with the active master key (after adding a new key to CREDENTIALS_KEYS)',
  async run(config, args) {
    const { 'dry-run': dryRun } = parseOptions(args, { 'dry-run': { type: 'boolean' } });
    const box = new SecretBox(parseKeyring(config.credentials.keys, config.credentials.activeKeyId));
    await withCliDatabase(config, async (database) => {
      const report = await new CredentialsService(database, box).reencrypt({ dryRun: dryRun === true });
      process.stdout.write(
        `${report.checked} secret(s) checked; ${report.reencrypted} ${dryRun ? 'would be' : ''} re-encrypted to key ${box.activeKeyId}; ${report.failed.length} failed\n`,
      );
      for (const f of report.failed) process.stdout.write(`  ${f.table} ${f.id}: ${f.reason}\n`);
      if (report.failed.length > 0) throw new Error(`${report.failed.length} secret(s) could not be re-encrypted (listed above)`);
    });
  },
};
