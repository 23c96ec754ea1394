import { Inject, Injectable, Optional, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { CLOCK, type Clock } from '../tokens.js';
import { ApiKeyResolver, type ApiKeyLookup, type ApiKeyPrincipal } from './api-key.resolver.js';
import { SANDBOX_ACCESS, SANDBOX_ROUTE_METADATA, type SandboxAccess } from './sandbox-access.js';
import { SignatureVerifier } from './signature.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: ApiKeyPrincipal;
  }
}

/**
 * Tenant API authentication, in SPEC §2.1's order: API key → tenant active → signature (on
 * requests that carry a body). A sandbox key (SPEC §7) must also pass its session's checks
 * (features/sandbox, through SANDBOX_ACCESS) and is refused on routes without @AdmitsSandboxKeys().
 * What comes after (body, idempotency, rate limit) is the route's business.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly resolver: ApiKeyResolver,
    private readonly signatures: SignatureVerifier,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly reflector: Reflector,
    /** features/sandbox; without it (a process with no sandbox module) sandbox keys are refused. */
    @Optional() @Inject(SANDBOX_ACCESS) private readonly sandbox?: SandboxAccess,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const admits =
      this.reflector.getAllAndOverride<boolean | undefined>(SANDBOX_ROUTE_METADATA, [context.getHandler(), context.getClass()]) === true;
    await this.authenticate(request, admits);
    return true;
  }

  /**
   * The guard's checks for one request, without Nest's execution context: sets and returns
   * `request.principal`, or throws the coded error. `routeAdmitsSandbox` is what
   * @AdmitsSandboxKeys() says of the route; plain Fastify routes (the trigger route) pass it
   * themselves.
   */
  async authenticate(request: FastifyRequest, routeAdmitsSandbox: boolean): Promise<ApiKeyPrincipal> {
    const key = request.headers['x-api-key'];
    if (typeof key !== 'string' || key.length === 0 || key.length > 200) throw new AppError('INVALID_API_KEY');
    let lookup: ApiKeyLookup;
    try {
      lookup = await this.resolver.lookup(key);
    } catch {
      throw new AppError('UNAVAILABLE', { headers: { 'retry-after': '1' } });
    }
    let principal = lookup.principal;
    if (!principal && lookup.inactiveSandbox && this.sandbox) await this.sandbox.refuse(lookup.inactiveSandbox, request);
    if (!principal || principal.tenantStatus === 'deleted')
      throw new AppError(lookup.inactiveSandbox ? 'SANDBOX_SESSION_INVALID' : 'INVALID_API_KEY');
    if (principal.tenantStatus === 'suspended') throw new AppError('TENANT_SUSPENDED');
    // A sandbox key works only with its live session, and only where sandbox keys are admitted (SPEC §7).
    if (principal.mode === 'sandbox') {
      if (!this.sandbox) throw new AppError('SANDBOX_SESSION_INVALID');
      principal = await this.sandbox.admit(principal, request, routeAdmitsSandbox);
    }
    // Signatures cover request bodies (SPEC §2.1); reads such as the event status need the key only (§2.3).
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const signature = this.signatures.check(
        principal,
        request.rawBody ?? Buffer.alloc(0),
        request.headers['x-orqestra-signature'],
        this.clock.now().getTime(),
      );
      if (signature === 'missing') throw new AppError('SIGNATURE_REQUIRED');
      if (signature === 'invalid') throw new AppError('INVALID_SIGNATURE');
    }
    request.principal = principal;
    return principal;
  }
}
