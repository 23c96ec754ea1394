import { pino, type DestinationStream, type Logger } from 'pino';
import { logContext } from './log-context.js';

/**
 * Field names whose values never reach a log line (SPEC §8: secrets and recipient contact
 * details are redacted). Each is redacted at the top of a logged object and one level down
 * (`{ apiKey }`, `{ config: { apiKey } }`); NESTED_PATHS name the deeper places we log.
 */
export const SECRET_FIELDS = [
  'apiKey',
  'api_key',
  'x-api-key',
  'authorization',
  'cookie',
  'set-cookie',
  'password',
  'passwordHash',
  'password_hash',
  'secret',
  'clientSecret',
  'webhookSecret',
  'hmacSecret',
  'credentials',
  'token',
  'accessToken',
  'refreshToken',
  'refresh_token',
  'authToken',
  'auth_token',
  'privateKey',
  'signature',
  'x-orqestra-signature',
] as const;

export const CONTACT_FIELDS = ['email', 'phone', 'to', 'recipientEmail', 'recipientPhone', 'subscriberEmail', 'subscriberPhone'] as const;

/** Deeper places: HTTP headers as pino's request/response serializers write them, and a message's recipient. */
const NESTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["x-orqestra-signature"]',
  'res.headers["set-cookie"]',
  '*.recipient.email',
  '*.recipient.phone',
];

const accessor = (field: string) => (/^[A-Za-z_$][\w$]*$/.test(field) ? field : `["${field}"]`);

/** The one redaction list of every process's logger. */
export const REDACTED_PATHS: readonly string[] = [
  ...[...SECRET_FIELDS, ...CONTACT_FIELDS].flatMap((field) => {
    const at = accessor(field);
    return [at, at.startsWith('[') ? `*${at}` : `*.${at}`];
  }),
  ...NESTED_PATHS,
];

export const REDACTED = '[redacted]';

/**
 * The logger of every Orqestra process (API, worker, gateway): pino JSON lines with an ISO time,
 * the process's name and pid, the unit of work's context (trace, tenant, event, notification)
 * from logContext, and REDACTED_PATHS censored. `destination` defaults to stdout (tests pass a stream).
 */
export function createLogger(level: string, name: string, destination?: DestinationStream): Logger {
  const options = {
    name,
    level,
    redact: { paths: [...REDACTED_PATHS], censor: REDACTED },
    mixin: () => ({ ...logContext.getStore() }),
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}
