import { consumerDisposition, type ConsumerCode, type ConsumerDisposition } from '@orqestra/contracts';
import { isDataRejection } from '@orqestra/db';

/**
 * What the worker's consumers share: a fetched batch handled per tenant (one transaction each),
 * and the Kafka runner's one mapping of a handler's failure to a code of the catalog and the
 * code to what the runner does (`consumer` in packages/contracts/src/codes.ts).
 */
export function groupByTenant<T extends { tenantId: string }>(items: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(item.tenantId);
    if (group) group.push(item);
    else groups.set(item.tenantId, [item]);
  }
  return groups;
}

/**
 * The code a handler's failure carries. PostgreSQL errors of classes 22 (data exception) and 23
 * (integrity violation, e.g. a message for a tenant that no longer exists) are `DATA_REJECTED`: a
 * retry cannot fix them. Anything else (the database, the broker or Redis unreachable, a render
 * the machine slowed down, a bug) is `INTERNAL`. A message that fails its schema never reaches a
 * handler: the bus parks it (`MESSAGE_INVALID`).
 */
export function consumerErrorCode(error: unknown): ConsumerCode {
  return isDataRejection(error) ? 'DATA_REJECTED' : 'INTERNAL';
}

/**
 * What the runner does with a failed handling, from the catalog: `skip` (report it, record it where
 * the consumer has a record for it, and commit past it, so it does not block the partition) or
 * `retry` (the batch is handled again with back-off; nothing is skipped).
 */
export function dispositionOf(error: unknown): ConsumerDisposition {
  return consumerDisposition(consumerErrorCode(error));
}
