import type { LoggerService } from '@nestjs/common';
import type { Logger } from 'pino';

/** The one logger factory of every process, with its one redaction list, is @orqestra/telemetry's (re-exported for test/admin-route-table.ts). */
export { createLogger } from '@orqestra/telemetry';

/** Routes NestJS's own messages into the same pino logger. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string) {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}
