import { CHANNELS, type Channel } from '@orqestra/contracts';
import { BusProducer } from '@orqestra/bus';
import { createDatabase, isUuid } from '@orqestra/db';
import { parseOptions, UsageError, type Command } from '../../cli/command.js';
import { DeadLetterReplayService, MAX_REPLAY_PER_CALL, type ReplayActor } from './dead-letter-replay.service.js';
import type { ReplayFilter } from './dead-letter.repository.js';

const CLI: ReplayActor = { type: 'operator', id: 'cli' };

export const dlqReplayCommand: Command = {
  path: ['dlq', 'replay'],
  usage:
    'dlq replay [<notification-id>] --tenant <id> --reason <r> [--provider p] [--channel C] [--error-code c] [--event-type t] [--since iso] [--until iso] [--limit n] [--dry-run]',
  summary: 'replay one dead letter, or all matching a filter (dry run first; capped per call)',
  async run(config, args) {
    const id = args[0] && !args[0].startsWith('--') ? args[0] : undefined;
    const o = parseOptions(
      id ? args.slice(1) : args,
      {
        tenant: { type: 'string' },
        reason: { type: 'string' },
        provider: { type: 'string' },
        channel: { type: 'string' },
        'error-code': { type: 'string' },
        'event-type': { type: 'string' },
        since: { type: 'string' },
        until: { type: 'string' },
        limit: { type: 'string' },
        'dry-run': { type: 'boolean' },
      },
      ['tenant'],
    );
    if (!isUuid(o.tenant)) throw new UsageError('--tenant must be a tenant id');
    if (id !== undefined && !isUuid(id)) throw new UsageError('the notification id must be a uuid');
    if (!o['dry-run'] && !o.reason?.trim()) throw new UsageError('--reason is required');
    if (o.channel !== undefined && !(CHANNELS as readonly string[]).includes(o.channel))
      throw new UsageError(`--channel must be one of ${CHANNELS.join(', ')}`);
    const date = (value: string | undefined, name: string) => {
      if (value === undefined) return undefined;
      const parsed = new Date(value);
      if (Number.isNaN(parsed.getTime())) throw new UsageError(`--${name} must be an ISO 8601 time`);
      return parsed;
    };
    const filter: ReplayFilter = {
      provider: o.provider,
      channel: o.channel as Channel | undefined,
      errorCode: o['error-code'],
      eventType: o['event-type'],
      since: date(o.since, 'since'),
      until: date(o.until, 'until'),
    };
    const limit = o.limit === undefined ? 100 : Number(o.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_REPLAY_PER_CALL)
      throw new UsageError(`--limit must be 1-${MAX_REPLAY_PER_CALL}`);
    const database = createDatabase(config.database.url, { max: 1, applicationName: 'orqestra-cli' });
    const producer = new BusProducer({ brokers: config.kafka.brokers, clientId: 'orqestra-cli', topicPrefix: config.kafka.topicPrefix });
    try {
      const service = new DeadLetterReplayService(database, producer);
      if (id) {
        const replayed = await service.replayOne(CLI, o.tenant!, id, o.reason!);
        process.stdout.write(`replayed ${replayed.notificationId} as attempt series ${replayed.attemptSeries}\n`);
      } else if (o['dry-run']) {
        process.stdout.write(`${await service.count(CLI, o.tenant!, filter)} dead letter(s) match; nothing replayed (dry run)\n`);
      } else {
        process.stdout.write(`replayed ${await service.replayMatching(CLI, o.tenant!, filter, o.reason!, limit)} dead letter(s)\n`);
      }
    } finally {
      await producer.close();
      await database.close();
    }
  },
};
