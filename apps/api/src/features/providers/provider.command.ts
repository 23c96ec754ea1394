import { readFile } from 'node:fs/promises';
import { CHANNELS, type Channel } from '@orqestra/contracts';
import { parseKeyring, SecretBox } from '@orqestra/crypto';
import { isUuid } from '@orqestra/db';
import { parseOptions, UsageError, withCliDatabase, type Command } from '../../cli/command.js';
import { ProviderService } from './provider.service.js';

function tenant(value: string | undefined): string {
  if (!value || !isUuid(value)) throw new UsageError('--tenant must be a tenant id');
  return value;
}

export const providerAddCommand: Command = {
  path: ['provider', 'add'],
  usage:
    'provider add --tenant <id> --channel <C> --provider <name> --credentials <json-file> [--base-url <url>] [--priority <n>] [--rate <per-second>]',
  summary: "connect a tenant's provider account (credentials stored encrypted; the base URL is an operator's override)",
  async run(config, args) {
    const o = parseOptions(
      args,
      {
        tenant: { type: 'string' },
        channel: { type: 'string' },
        provider: { type: 'string' },
        credentials: { type: 'string' },
        'base-url': { type: 'string' },
        priority: { type: 'string' },
        rate: { type: 'string' },
      },
      ['tenant', 'channel', 'provider', 'credentials'],
    );
    if (!(CHANNELS as readonly string[]).includes(o.channel!)) throw new UsageError(`--channel must be one of ${CHANNELS.join(', ')}`);
    const priority = o.priority === undefined ? undefined : Number(o.priority);
    const rate = o.rate === undefined ? undefined : Number(o.rate);
    if (priority !== undefined && (!Number.isInteger(priority) || priority < 0))
      throw new UsageError('--priority must be a whole number ≥ 0');
    if (rate !== undefined && !(rate > 0)) throw new UsageError('--rate must be a number > 0 (sends per second)');
    let credentials: unknown;
    try {
      credentials = JSON.parse(await readFile(o.credentials!, 'utf8'));
    } catch {
      throw new UsageError(`--credentials must name a JSON file`);
    }
    await withCliDatabase(config, async (database) => {
      const service = new ProviderService(
        database,
        new SecretBox(parseKeyring(config.credentials.keys, config.credentials.activeKeyId)),
        config.allowPrivateProviderUrls,
      );
      const added = await service.add('cli', {
        tenantId: tenant(o.tenant),
        channel: o.channel as Channel,
        provider: o.provider!,
        credentials,
        baseUrl: o['base-url'],
        priority,
        sendRatePerSecond: rate,
      });
      process.stdout.write(`provider ${added.provider} for ${added.channel} added (${added.id}), secret …${added.credentialsLast4}\n`);
    });
  },
};

export const providerListCommand: Command = {
  path: ['provider', 'list'],
  usage: 'provider list --tenant <id>',
  summary: "list a tenant's provider configs (secrets masked)",
  async run(config, args) {
    const o = parseOptions(args, { tenant: { type: 'string' } }, ['tenant']);
    await withCliDatabase(config, async (database) => {
      const service = new ProviderService(
        database,
        new SecretBox(parseKeyring(config.credentials.keys, config.credentials.activeKeyId)),
        config.allowPrivateProviderUrls,
      );
      const rows = await service.list('cli', tenant(o.tenant));
      if (rows.length === 0) process.stdout.write('no providers\n');
      for (const r of rows) {
        process.stdout.write(
          `${r.channel.padEnd(6)} ${r.provider.padEnd(15)} priority ${r.priority}  ${r.enabled ? 'enabled ' : 'disabled'}  secret …${r.credentialsLast4}` +
            `${r.sendRatePerSecond ? `  ${r.sendRatePerSecond}/s` : ''}${r.baseUrlOverride ? `  ${r.baseUrlOverride}` : ''}  ${r.id}\n`,
        );
      }
    });
  },
};
