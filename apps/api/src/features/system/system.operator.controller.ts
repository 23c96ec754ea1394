import { Controller, Get, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Access, AccessGuard } from '../../platform/auth/access.js';
import { RequestActors } from '../../platform/auth/actor.js';
import { SystemService } from './system.service.js';

/** /api/v1/admin/system: versions and health of every component, the active key, retention (operators). */
@Controller('api/v1/admin/system')
@UseGuards(AccessGuard)
export class SystemOperatorController {
  constructor(
    private readonly system: SystemService,
    private readonly actors: RequestActors,
  ) {}

  @Get()
  @Access('operator')
  async get(@Req() request: FastifyRequest) {
    return { success: true, data: await this.system.report(this.actors.of(request)) };
  }
}
