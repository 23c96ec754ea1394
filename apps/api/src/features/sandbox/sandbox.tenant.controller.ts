import { Controller, Delete, Get, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { idParam, pageQuerySchema, paginated, parseOptionalJsonBody, parseQuery } from '../../platform/query-params.js';
import { Access, AccessGuard } from '../../platform/auth/access.js';
import { RequestActors } from '../../platform/auth/actor.js';
import { AppError, type ErrorDetail } from '../../platform/errors.js';
import { parseAllowedIp, WIDEST_PREFIX } from './allowed-ip.js';
import { isDeviceId } from './device-id.js';
import { messagesQuerySchema, startSessionBodySchema } from './sandbox.schemas.js';
import { SandboxService } from './sandbox.service.js';

/** Sandbox sessions of the tenant in the access token (SPEC §7); admins start and end, viewers read. */
@Controller('api/v1/tenant/sandbox/sessions')
@UseGuards(AccessGuard)
export class SandboxTenantController {
  constructor(
    private readonly sandbox: SandboxService,
    private readonly actors: RequestActors,
  ) {}

  @Post()
  @HttpCode(201)
  @Access('tenant:admin')
  async start(@Req() request: FastifyRequest) {
    const actor = this.actors.of(request);
    const body = parseOptionalJsonBody(request, startSessionBodySchema);
    const problems: ErrorDetail[] = [];
    const allowedIp = body.allowedIp === undefined ? parseAllowedIp(actor.ip) : parseAllowedIp(body.allowedIp);
    if (!allowedIp)
      problems.push({
        path: 'allowedIp',
        message: `must be an IPv4 or IPv6 address or a CIDR block no wider than /${WIDEST_PREFIX[4]} (IPv4) or /${WIDEST_PREFIX[6]} (IPv6)`,
      });
    const deviceId = request.headers['x-device-id'];
    if (deviceId !== undefined && !isDeviceId(deviceId))
      problems.push({ path: 'X-Device-Id', message: 'must be 1-200 printable ASCII characters' });
    if (problems.length > 0 || !allowedIp) throw new AppError('VALIDATION_FAILED', { details: problems });
    return {
      success: true,
      data: await this.sandbox.start(actor, { allowedIp, ...(deviceId !== undefined ? { deviceId: deviceId as string } : {}) }),
    };
  }

  @Get()
  @Access('tenant:viewer')
  async list(@Req() request: FastifyRequest) {
    const page = parseQuery(request.query, pageQuerySchema);
    const { rows, total } = await this.sandbox.listActive(this.actors.of(request), page);
    return paginated(rows, page, total);
  }

  @Get(':id/messages')
  @Access('tenant:viewer')
  async messages(@Req() request: FastifyRequest, @Param('id') id: string) {
    const query = parseQuery(request.query, messagesQuerySchema);
    const { rows, total } = await this.sandbox.messages(this.actors.of(request), idParam(id), query);
    return paginated(rows, query, total);
  }

  @Delete(':id')
  @HttpCode(200)
  @Access('tenant:admin')
  async end(@Req() request: FastifyRequest, @Param('id') id: string) {
    return { success: true, data: await this.sandbox.end(this.actors.of(request), idParam(id)) };
  }
}
