import { z } from 'zod';
import { pageQuerySchema } from '../../platform/query-params.js';

export const startSessionBodySchema = z
  .object({
    allowedIp: z.string().max(64).optional().meta({
      description:
        'The IPv4/IPv6 address or CIDR block (no wider than /16 for IPv4, /48 for IPv6) the sandbox key may be used from; default: the address that starts the session.',
      example: '203.0.113.0/24',
    }),
  })
  .strict()
  .meta({ id: 'SandboxSessionStart' });

export const messagesQuerySchema = pageQuerySchema;

export const startedSessionSchema = z
  .object({
    sessionId: z.uuid(),
    apiKey: z.string().meta({ description: 'The sandbox API key (oq_test_…). Shown once; only its SHA-256 is stored.' }),
    allowedIp: z.string().meta({ description: 'Address or CIDR block the key is bound to' }),
    deviceBound: z.boolean().meta({ description: 'true when X-Device-Id was given: the key then works only with the same X-Device-Id' }),
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'SandboxSession' });

export const activeSessionSchema = z
  .object({
    sessionId: z.uuid(),
    keyPrefix: z.string(),
    allowedIp: z.string().nullable(),
    deviceBound: z.boolean(),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'SandboxSessionActive' });

export const capturedMessageSchema = z
  .object({
    id: z.uuid(),
    notificationId: z.uuid(),
    channel: z.enum(['EMAIL', 'SMS', 'PUSH']),
    eventType: z.string().nullable(),
    recipient: z.string().nullable(),
    content: z.record(z.string(), z.unknown()).nullable().meta({
      description: 'The rendered message: subject/html/text, body, or title/body/category/data; null for viewers (contentHidden: true)',
    }),
    contentHidden: z.boolean(),
    capturedAt: z.iso.datetime(),
  })
  .meta({ id: 'SandboxCapturedMessage' });
