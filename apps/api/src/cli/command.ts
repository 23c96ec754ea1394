import { parseArgs } from 'node:util';
import { createDatabase, type Database } from '@orqestra/db';
import type { Config } from '../config.js';

/** What every CLI command is made of (each feature's *.command.ts); the list lives in commands.ts. */
export class UsageError extends Error {}

export interface Command {
  path: [string] | [string, string];
  usage: string;
  summary: string;
  run: (config: Config, args: string[]) => Promise<void>;
}

type OptionSpec = Record<string, { type: 'string' | 'boolean' }>;
type OptionValues<T extends OptionSpec> = { [K in keyof T]?: T[K]['type'] extends 'string' ? string : boolean };

/** Parses a command's options strictly: an unknown or missing option is a usage error. */
export function parseOptions<T extends OptionSpec>(args: string[], options: T, required: (keyof T & string)[] = []): OptionValues<T> {
  let values: OptionValues<T>;
  try {
    values = parseArgs({ args, options, strict: true, allowPositionals: false }).values as OptionValues<T>;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  for (const name of required) {
    if (values[name] === undefined) throw new UsageError(`--${name} is required`);
  }
  return values;
}

/** Runs `fn` with a one-connection database of the services' role, closed afterwards. */
export async function withCliDatabase<T>(config: Config, fn: (database: Database) => Promise<T>): Promise<T> {
  const database = createDatabase(config.database.url, { max: 1, applicationName: 'orqestra-cli' });
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}
