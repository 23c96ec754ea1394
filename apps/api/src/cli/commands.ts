import type { Command } from './command.js';
import { migrateCommand, topicsEnsureCommand } from './setup.command.js';
import { tenantCreateCommand } from '../features/tenants/tenant.command.js';
import { operatorCreateCommand } from '../features/auth/operator.command.js';
import { credentialsReencryptCommand } from '../features/credentials/credentials.command.js';
import { dlqReplayCommand } from '../features/deliveries/dead-letter.command.js';
import { providerAddCommand, providerListCommand } from '../features/providers/provider.command.js';
import { templateActivateCommand, templateSetCommand } from '../features/templates/template.command.js';

export const COMMANDS: Command[] = [
  migrateCommand,
  topicsEnsureCommand,
  tenantCreateCommand,
  operatorCreateCommand,
  templateSetCommand,
  templateActivateCommand,
  providerAddCommand,
  providerListCommand,
  dlqReplayCommand,
  credentialsReencryptCommand,
];

export function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.usage.length));
  return [
    'orqestra — operator CLI',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    '',
    'Connection settings come from the environment (see .env.example); npm run orqestra fills them from the local stack.',
    '',
  ].join('\n');
}
