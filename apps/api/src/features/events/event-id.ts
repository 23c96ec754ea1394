import { v5 as uuidv5 } from 'uuid';
import type { Mode } from '@orqestra/contracts';

/** Fixed namespace of Orqestra's derived event ids (never change it: ids would stop matching). */
export const EVENT_ID_NAMESPACE = '6f1c3f53-5f0e-4c8e-9a0c-0b6f2a4e7d21';

/**
 * The eventId of a request that gave an idempotency key but no eventId (SPEC §2.1): UUID v5 of
 * (tenant, mode, key), so the database's uniqueness on events backs Redis up — even after Redis
 * forgets the key, the same key never produces a second notification.
 */
export function deriveEventId(tenantId: string, mode: Mode, idempotencyKey: string): string {
  return uuidv5(`${tenantId}\u0000${mode}\u0000${idempotencyKey}`, EVENT_ID_NAMESPACE);
}
