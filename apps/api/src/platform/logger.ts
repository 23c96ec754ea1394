import type { LoggerService } from '@nestjs/common';
import { pino, type Logger } from 'pino';
import { logContext } from './request-context.js';

/**
 * JSON lines with the unit of work's context (trace, tenant, event, notification) mixed in, and
 * secrets and contact details redacted wherever they appear under these names.
 */
export const REDACTED_PATHS = [
  '*.apiKey', '*.api_key', '*["x-api-key"]', '*.authorization', '*.password', '*.passwordHash', '*.password_hash',
  '*.secret', '*.webhookSecret', '*.credentials', '*.token', '*.recipientEmail', '*.recipientPhone', '*.email', '*.phone',
  'req.headers["x-api-key"]', 'req.headers["x-orqestra-signature"]', 'req.headers.authorization', 'req.headers.cookie',
];

export function createLogger(level: string, name: string): Logger {
  return pino({
    name,
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    mixin: () => ({ ...logContext.getStore() }),
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

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
