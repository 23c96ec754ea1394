#!/usr/bin/env node
import { ConfigError, loadConfig } from './config.js';
import { UsageError } from './cli/command.js';
import { COMMANDS, usage } from './cli/commands.js';
import { hintsFor } from './cli/hints.js';
import { AppError } from './platform/errors.js';

/**
 * `orqestra`: the operator CLI (npm run orqestra -- <command>, or the workspace bin).
 * Exit codes: 0 done, 1 failed, 2 wrong usage or configuration.
 */
async function main(argv: string[]): Promise<number> {
  const [group, sub, ...rest] = argv;
  if (!group || group === '--help' || group === 'help') {
    process.stdout.write(usage());
    return 0;
  }
  const command = COMMANDS.find((c) => c.path[0] === group && (c.path.length === 1 || c.path[1] === sub));
  if (!command) throw new UsageError(`unknown command: ${[group, sub].filter(Boolean).join(' ')}`);
  const args = command.path.length === 1 ? [sub, ...rest].filter((a): a is string => a !== undefined) : rest;
  if (args.includes('--help')) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  await command.run(loadConfig(), args);
  return 0;
}

/** A coded service error as a person reads it: code, message, and each detail with its place. */
function describe(error: unknown): string {
  if (!(error instanceof AppError)) return error instanceof Error ? error.message : String(error);
  const details = (error.details ?? []).map((d) => `\n  ${d.path}${d.line ? ` (line ${d.line}, column ${d.column})` : ''}: ${d.message}`);
  const hints = hintsFor(error.details ?? []).map((hint) => `\n${hint}`);
  return `${error.code}: ${error.message}${details.join('')}${hints.join('')}`;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof ConfigError) {
      process.stderr.write(`orqestra: ${error.message}\n`);
      if (error instanceof UsageError) process.stderr.write(`run 'orqestra --help' for the commands\n`);
      process.exit(2);
    }
    process.stderr.write(`orqestra: ${describe(error)}\n`);
    process.exit(1);
  },
);
