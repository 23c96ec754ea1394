import { createLogger, type Logger } from '@orqestra/telemetry';
import type { DestinationStream } from 'pino';

/** The gateway's logger: the one factory every process uses, with its one redaction list (secrets and contact details). */
export function gatewayLogger(level: string, destination?: DestinationStream): Logger {
  return createLogger(level, 'orqestra-gateway', destination);
}
