import { parseOptions, UsageError, withCliDatabase, type Command } from '../../cli/command.js';
import { OperatorService, temporaryPassword } from './operator.service.js';

export const operatorCreateCommand: Command = {
  path: ['operator', 'create'],
  usage: 'operator create --username <u> [--password <p>] [--quiet]',
  summary: 'create a platform operator (a temporary password is generated unless given)',
  async run(config, args) {
    const { username, password, quiet } = parseOptions(
      args,
      { username: { type: 'string' }, password: { type: 'string' }, quiet: { type: 'boolean' } },
      ['username'],
    );
    if (!username || !/^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/.test(username)) {
      throw new UsageError('--username must be 1-128 characters of letters, digits and . _ @ -, starting with a letter or digit');
    }
    const chosen = password ?? temporaryPassword();
    await withCliDatabase(config, async (database) => {
      const { operatorId } = await new OperatorService(database).create('cli', username, chosen);
      if (!quiet) {
        process.stdout.write(`operator "${username}" created (${operatorId})\n`);
        if (!password) process.stdout.write(`  temporary password  ${chosen}\n  (shown once; it must be changed at first login)\n`);
      }
    });
  },
};
