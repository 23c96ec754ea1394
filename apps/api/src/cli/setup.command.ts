import { ensureTopics } from '@orqestra/bus';
import { migrateToLatest } from '@orqestra/db';
import type { Command } from './command.js';
import { parseOptions, UsageError } from './command.js';

export const migrateCommand: Command = {
  path: ['migrate'],
  usage: 'migrate [--quiet]',
  summary: 'apply pending database migrations (as the owner role, DATABASE_OWNER_URL)',
  async run(config, args) {
    const { quiet } = parseOptions(args, { quiet: { type: 'boolean' } });
    if (!config.database.ownerUrl) throw new UsageError('DATABASE_OWNER_URL is required for migrate');
    const { applied } = await migrateToLatest(config.database.ownerUrl);
    if (!quiet || applied.length > 0) {
      process.stdout.write(applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}\n` : 'database is up to date\n');
    }
  },
};

export const topicsEnsureCommand: Command = {
  path: ['topics', 'ensure'],
  usage: 'topics ensure [--quiet]',
  summary: 'create the Kafka topics of the catalog that are missing',
  async run(config, args) {
    const { quiet } = parseOptions(args, { quiet: { type: 'boolean' } });
    const { created } = await ensureTopics(config.kafka);
    if (!quiet || created.length > 0) {
      process.stdout.write(created.length ? `created topics: ${created.join(', ')}\n` : 'all topics exist\n');
    }
  },
};
