/**
 * What the worker's consumers share: a fetched batch handled per tenant (one transaction each),
 * and the line between failures a retry can fix and those it cannot.
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
 * PostgreSQL errors that retrying cannot fix (classes 22 data exception and 23 integrity
 * violation, e.g. a message for a tenant that no longer exists): report and skip, so they do not
 * block the partition.
 */
export function isPermanentDbError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^2[23]/.test(code);
}
