import { SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { ApiKeyPrincipal, InactiveSandboxKey } from './api-key.resolver.js';

/**
 * The guard's port to sandbox sessions (SPEC §7), implemented by features/sandbox. A sandbox key
 * (`oq_test_…`) authenticates only together with its live session: from the bound address, with
 * the bound device id, before expiry, and only on routes that admit sandbox keys.
 */
export const SANDBOX_ACCESS = Symbol('SANDBOX_ACCESS');

export interface SandboxAccess {
  /**
   * The principal a sandbox key acts as on this request (its session checked, the sandbox quota
   * in place of the tenant's live one), or throws SANDBOX_SESSION_INVALID (audited).
   */
  admit(principal: ApiKeyPrincipal, request: FastifyRequest, routeAdmitsSandbox: boolean): Promise<ApiKeyPrincipal>;
  /** A sandbox key that stopped working: audits the attempt and throws SANDBOX_SESSION_INVALID. */
  refuse(key: InactiveSandboxKey, request: FastifyRequest): Promise<never>;
}

export const SANDBOX_ROUTE_METADATA = 'orqestra:sandbox-route';

/**
 * Marks a controller or route that sandbox keys may call (triggering events and reading their
 * status). Every other route refuses them, so a route added later is closed to them by default.
 */
export const AdmitsSandboxKeys = () => SetMetadata(SANDBOX_ROUTE_METADATA, true);
