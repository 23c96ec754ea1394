/**
 * Builds the one statement that opens every unit of work:
 *
 *   BEGIN; SELECT set_config('app.current_tenant_id', '<uuid or empty>', true),
 *                 set_config('app.actor_type', '<actor>', true),
 *                 set_config('app.actor_id', '<id>', true)
 *
 * It is sent as a single simple query (one round trip), so the values are spliced into the
 * text. That is safe only because every value is checked against a strict pattern first and
 * anything else is rejected; no quoting or escaping is attempted.
 */

/** Actors that act inside one tenant (SPEC §7). An operator with a tenant is confined to it. */
export const TENANT_ACTOR_TYPES = ['tenant_admin', 'api_key', 'system_tenant', 'operator'] as const;
export type TenantActorType = (typeof TENANT_ACTOR_TYPES)[number];

/** Every actor type a service may set. */
export const ACTOR_TYPES = ['tenant_admin', 'api_key', 'system_tenant', 'operator', 'system'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** Ids of operators, admins and keys (uuids), or names such as `cli`, `sweeper`, `reencrypt:k2`. */
const ACTOR_ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;

export class InvalidContextError extends Error {
  override name = 'InvalidContextError';
}

export interface ContextSettings {
  /** Tenant uuid, or null for no tenant (operator across tenants, system). */
  tenantId: string | null;
  actorType: ActorType;
  actorId: string;
}

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** Returns the id in lowercase (the form PostgreSQL prints), or throws. */
export function assertTenantId(value: unknown): string {
  if (!isUuid(value)) throw new InvalidContextError('tenant id must be a canonical uuid (8-4-4-4-12 hex digits)');
  return value.toLowerCase();
}

export function assertActorType(value: unknown): ActorType {
  if (typeof value !== 'string' || !(ACTOR_TYPES as readonly string[]).includes(value)) {
    throw new InvalidContextError(`actor type must be one of ${ACTOR_TYPES.join(', ')}`);
  }
  return value as ActorType;
}

export function assertActorId(value: unknown): string {
  if (typeof value !== 'string' || !ACTOR_ID.test(value)) {
    throw new InvalidContextError('actor id must be 1-128 characters of [A-Za-z0-9._:@-], starting with a letter or digit');
  }
  return value;
}

/** Validates every value, then builds `BEGIN; SELECT set_config(...), ...`. */
export function buildContextStatement(settings: ContextSettings): string {
  const tenant = settings.tenantId === null ? '' : assertTenantId(settings.tenantId);
  const actorType = assertActorType(settings.actorType);
  const actorId = assertActorId(settings.actorId);
  return (
    `BEGIN; SELECT set_config('app.current_tenant_id', '${tenant}', true), ` +
    `set_config('app.actor_type', '${actorType}', true), ` +
    `set_config('app.actor_id', '${actorId}', true)`
  );
}
