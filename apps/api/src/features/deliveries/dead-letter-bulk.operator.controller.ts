import { Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Access, AccessGuard } from '../../platform/auth/access.js';
import { RequestActors } from '../../platform/auth/actor.js';
import { parseJsonBody } from '../../platform/json-body.js';
import { replayFilter } from './dead-letter.controller.js';
import { operatorBulkBody, type OperatorBulkBody } from './dead-letter-bulk.schemas.js';
import { DlqBulkService } from './dead-letter-bulk.service.js';

/** /api/v1/admin/dlq/replay and /discard: an operator's bulk actions on dead letters across tenants. */
@Controller('api/v1/admin/dlq')
@UseGuards(AccessGuard)
export class OperatorDlqBulkController {
  constructor(
    private readonly bulk: DlqBulkService,
    private readonly actors: RequestActors,
  ) {}

  @Post('replay')
  @Access('operator')
  @HttpCode(200)
  async replay(@Req() request: FastifyRequest) {
    return { success: true, data: await this.act(request, 'replay') };
  }

  @Post('discard')
  @Access('operator')
  @HttpCode(200)
  async discard(@Req() request: FastifyRequest) {
    return { success: true, data: await this.act(request, 'discard') };
  }

  private act(request: FastifyRequest, action: 'replay' | 'discard') {
    const actor = this.actors.of(request);
    const body: OperatorBulkBody = parseJsonBody(request, operatorBulkBody);
    const filter = { ...replayFilter(body.filter), ...(body.filter.tenantId ? { tenantId: body.filter.tenantId } : {}) };
    if (body.dryRun) return this.bulk.dryRun(actor, filter, body.limit);
    return this.bulk.run(actor, action, filter, { limit: body.limit, reason: body.reason ?? '' });
  }
}
