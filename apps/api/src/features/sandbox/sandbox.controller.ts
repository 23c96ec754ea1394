import { Controller, Delete, Get, HttpCode, Inject, Param, Post, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { isUuid } from '@orqestra/db';
import type { Config } from '../../config.js';
import { Access, AdminGuard } from '../../platform/auth/admin-access.js';
import { clientIp } from '../../platform/client-ip.js';
import { AppError, type ErrorDetail } from '../../platform/errors.js';
import { parseJsonBody, toDetails } from '../../platform/json-body.js';
import { CONFIG } from '../../platform/tokens.js';
import { parseAllowedIp } from './allowed-ip.js';
import { isDeviceId } from './device-id.js';
import { messagesQuerySchema, startSessionBodySchema } from './sandbox.schemas.js';
import { SandboxService, type SandboxActor } from './sandbox.service.js';

/** Sandbox sessions of the tenant in the access token (SPEC §7); admins start and end, viewers read. */
@Controller('api/v1/tenant/sandbox/sessions')
@UseGuards(AdminGuard)
export class SandboxController {
  constructor(
    private readonly sandbox: SandboxService,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  @Post()
  @HttpCode(201)
  @Access('tenant:admin')
  async start(@Req() request: FastifyRequest) {
    const actor = this.actor(request);
    const body = request.rawBody && request.rawBody.length > 0 ? parseJsonBody(request, startSessionBodySchema) : {};
    const problems: ErrorDetail[] = [];
    const allowedIp = body.allowedIp === undefined ? parseAllowedIp(actor.ip) : parseAllowedIp(body.allowedIp);
    if (!allowedIp) problems.push({ path: 'allowedIp', message: 'must be an IPv4 or IPv6 address or a CIDR block (prefix at least 1)' });
    const deviceId = request.headers['x-device-id'];
    if (deviceId !== undefined && !isDeviceId(deviceId)) problems.push({ path: 'X-Device-Id', message: 'must be 1-200 printable ASCII characters' });
    if (problems.length > 0 || !allowedIp) throw new AppError('VALIDATION_FAILED', { details: problems });
    return { success: true, data: await this.sandbox.start(actor, { allowedIp, ...(deviceId !== undefined ? { deviceId: deviceId as string } : {}) }) };
  }

  @Get()
  @Access('tenant:viewer')
  async list(@Req() request: FastifyRequest) {
    return { success: true, data: await this.sandbox.listActive(this.actor(request)) };
  }

  @Get(':id/messages')
  @Access('tenant:viewer')
  async messages(@Req() request: FastifyRequest, @Param('id') id: string) {
    const query = messagesQuerySchema.safeParse(request.query ?? {});
    if (!query.success) throw new AppError('VALIDATION_FAILED', { details: toDetails(query.error.issues).map((d) => ({ ...d, path: `query.${d.path}` })) });
    const { rows, total } = await this.sandbox.messages(this.actor(request), sessionId(id), query.data);
    return { success: true, data: rows, pagination: { page: query.data.page, limit: query.data.limit, total } };
  }

  @Delete(':id')
  @HttpCode(200)
  @Access('tenant:admin')
  async end(@Req() request: FastifyRequest, @Param('id') id: string) {
    return { success: true, data: await this.sandbox.end(this.actor(request), sessionId(id)) };
  }

  private actor(request: FastifyRequest): SandboxActor {
    const admin = request.admin;
    if (!admin?.tenantId) throw new AppError('FORBIDDEN');
    const userAgent = request.headers['user-agent'];
    return {
      tenantId: admin.tenantId,
      adminId: admin.subjectId,
      ip: clientIp(request, this.config.trustedProxyHops),
      ...(typeof userAgent === 'string' ? { userAgent: userAgent.slice(0, 512) } : {}),
      traceId: request.traceId,
    };
  }
}

/** A session id that is not a uuid names nothing. */
function sessionId(value: string): string {
  if (!isUuid(value)) throw new AppError('NOT_FOUND');
  return value;
}
