import { Controller, Get, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Access, AdminGuard } from '../../platform/auth/admin-access.js';
import { AdminActors } from '../../platform/auth/admin-context.js';
import { SystemService } from './system.service.js';

/** /api/v1/admin/system: versions and health of every component, the active key, retention (operators). */
@Controller('api/v1/admin/system')
@UseGuards(AdminGuard)
export class SystemController {
  constructor(
    private readonly system: SystemService,
    private readonly actors: AdminActors,
  ) {}

  @Get()
  @Access('operator')
  async get(@Req() request: FastifyRequest) {
    return { success: true, data: await this.system.report(this.actors.of(request)) };
  }
}
