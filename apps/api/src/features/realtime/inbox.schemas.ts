import { z } from 'zod';

export const inboxListQuerySchema = z.object({
  status: z.enum(['unread', 'all']).default('all'),
  cursor: z.string().max(200).optional().meta({ description: 'pagination.nextCursor of the previous page' }),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  userId: z
    .string()
    .optional()
    .meta({ description: 'Required with x-api-key; ignored with a Bearer token (the user comes from the token).' }),
});

export const inboxItemSchema = z
  .object({
    id: z.uuid().meta({ description: 'The notification id; the same id arrives in the live publication.' }),
    title: z.string(),
    body: z.string(),
    category: z.enum(['info', 'success', 'warning', 'alert', 'error']),
    eventType: z.string(),
    createdAt: z.iso.datetime().meta({ description: 'When the event was accepted' }),
    readAt: z.iso.datetime().nullable(),
    data: z.unknown().optional(),
  })
  .meta({ id: 'InboxItem' });
