import { describe, expect, it } from 'vitest';
import { buildContextStatement, InvalidContextError, type ActorType } from './context-statement.js';

const TENANT = '0b9f8c1e-5a8d-4c1e-9f3a-2d7e6b5a4c3d';

describe('buildContextStatement', () => {
  it('builds BEGIN plus the three transaction-local settings as one statement', () => {
    expect(buildContextStatement({ tenantId: TENANT, actorType: 'tenant_admin', actorId: 'a1b2' })).toBe(
      `BEGIN; SELECT set_config('app.current_tenant_id', '${TENANT}', true), ` +
        `set_config('app.actor_type', 'tenant_admin', true), set_config('app.actor_id', 'a1b2', true)`,
    );
  });

  it('sets an empty tenant when there is none (operator across tenants, system)', () => {
    expect(buildContextStatement({ tenantId: null, actorType: 'system', actorId: 'sweeper' })).toContain(
      `set_config('app.current_tenant_id', '', true)`,
    );
  });

  it('lowercases an uppercase tenant uuid', () => {
    expect(buildContextStatement({ tenantId: TENANT.toUpperCase(), actorType: 'api_key', actorId: 'k' })).toContain(`'${TENANT}'`);
  });

  it.each([
    ['an injection attempt', `${TENANT}', true); DROP TABLE tenants; --`],
    ['a quote', `${TENANT}'`],
    ['an empty string', ''],
    ['a uuid without dashes', TENANT.replaceAll('-', '')],
    ['a uuid in braces', `{${TENANT}}`],
    ['surrounding whitespace', ` ${TENANT} `],
    ['a trailing newline', `${TENANT}\n`],
    ['non-hex characters', TENANT.replace('b', 'g')],
    ['a number', 42],
    ['undefined', undefined],
  ])('rejects a tenant id that is %s', (_what, tenantId) => {
    expect(() => buildContextStatement({ tenantId: tenantId as string, actorType: 'tenant_admin', actorId: 'x' })).toThrow(
      InvalidContextError,
    );
  });

  it.each([
    ['unknown', 'superuser'],
    ['differently cased', 'Operator'],
    ['the look-up actor reserved for SECURITY DEFINER functions', 'auth_lookup'],
    ['empty', ''],
    ['an injection attempt', `operator', true); --`],
  ])('rejects an actor type that is %s', (_what, actorType) => {
    expect(() => buildContextStatement({ tenantId: TENANT, actorType: actorType as ActorType, actorId: 'x' })).toThrow(InvalidContextError);
  });

  it.each([
    ['empty', ''],
    ['a quote', `o'brien`],
    ['a backslash', 'a\\b'],
    ['a space', 'a b'],
    ['a semicolon', 'a;b'],
    ['a dollar quote', '$$'],
    ['non-ASCII', 'café'],
    ['a leading dash', '-x'],
    ['longer than 128 characters', 'a'.repeat(129)],
    ['not a string', 7],
  ])('rejects an actor id that is %s', (_what, actorId) => {
    expect(() => buildContextStatement({ tenantId: TENANT, actorType: 'operator', actorId: actorId as string })).toThrow(
      InvalidContextError,
    );
  });

  it.each(['cli', 'sweeper', 'reencrypt:k2', 'admin@example.com', TENANT, 'a'.repeat(128)])('accepts the actor id %s', (actorId) => {
    expect(buildContextStatement({ tenantId: null, actorType: 'operator', actorId })).toContain(`'${actorId}'`);
  });
});
