import { parseOptions, UsageError, withCliDatabase, type Command } from '../../cli/command.js';
import { TenantService } from './tenant.service.js';

export const tenantCreateCommand: Command = {
  path: ['tenant', 'create'],
  usage: 'tenant create --name <n> [--json]',
  summary: 'create a tenant; prints its id and live API key (shown once)',
  async run(config, args) {
    const { name, json } = parseOptions(args, { name: { type: 'string' }, json: { type: 'boolean' } }, ['name']);
    if (!name?.trim() || name.length > 200) throw new UsageError('--name must be 1-200 characters');
    await withCliDatabase(config, async (database) => {
      const created = await new TenantService(database).create('cli', { name: name.trim() });
      if (json) {
        process.stdout.write(`${JSON.stringify({ tenantId: created.tenantId, apiKey: created.apiKey })}\n`);
      } else {
        process.stdout.write(
          `tenant "${created.name}" created\n  tenant id  ${created.tenantId}\n  API key    ${created.apiKey}\n` +
            `The API key is shown only now; Orqestra keeps its hash.\n`,
        );
      }
    });
  },
};
