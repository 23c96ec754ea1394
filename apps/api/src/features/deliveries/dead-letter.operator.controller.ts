import { Controller, Get, HttpCode, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Access, AccessGuard } from '../../platform/auth/access.js';
import { parseJsonBody } from '../../platform/json-body.js';
import { operatorBulkBody, operatorDlqListQuery, reasonBody, replayFilter, type OperatorBulkBody } from './dead-letter.schemas.js';
import { DeadLetterService } from './dead-letter.service.js';
import { DeadLetterBulkService } from './dead-letter-bulk.service.js';
import { RequestActors } from '../../platform/auth/actor.js';
import { idParam, parseQuery, paginated } from '../../platform/query-params.js';

/**
 * /api/v1/admin/dlq: dead letters of every tenant, for platform operators: list, inspect, replay
 * one, and the bulk actions across tenants (/replay and /discard, dry run first).
 */
@Controller('api/v1/admin/dlq')
@UseGuards(AccessGuard)
export class DeadLetterOperatorController {
  constructor(
    private readonly dlq: DeadLetterService,
    private readonly bulk: DeadLetterBulkService,
    private readonly actors: RequestActors,
  ) {}

  @Get()
  @Access('operator')
  async list(@Req() request: FastifyRequest, @Query() query: unknown) {
    const q = parseQuery(query, operatorDlqListQuery);
    const { rows, total } = await this.dlq.list(
      this.actors.of(request),
      { ...replayFilter(q), status: q.status, ...(q.tenantId ? { tenantId: q.tenantId } : {}) },
      q,
    );
    return paginated(rows, q, total);
  }

  @Get(':id')
  @Access('operator')
  async inspect(@Req() request: FastifyRequest, @Param('id') id: string) {
    return { success: true, data: await this.dlq.inspect(this.actors.of(request), idParam(id)) };
  }

  @Post(':id/replay')
  @Access('operator')
  @HttpCode(200)
  async replay(@Req() request: FastifyRequest, @Param('id') id: string) {
    const actor = this.actors.of(request);
    const target = idParam(id);
    return { success: true, data: await this.dlq.replayOne(actor, target, parseJsonBody(request, reasonBody).reason) };
  }

  @Post('replay')
  @Access('operator')
  @HttpCode(200)
  async replayMatching(@Req() request: FastifyRequest) {
    return { success: true, data: await this.bulkAction(request, 'replay') };
  }

  @Post('discard')
  @Access('operator')
  @HttpCode(200)
  async discardMatching(@Req() request: FastifyRequest) {
    return { success: true, data: await this.bulkAction(request, 'discard') };
  }

  private bulkAction(request: FastifyRequest, action: 'replay' | 'discard') {
    const actor = this.actors.of(request);
    const body: OperatorBulkBody = parseJsonBody(request, operatorBulkBody);
    const filter = { ...replayFilter(body.filter), ...(body.filter.tenantId ? { tenantId: body.filter.tenantId } : {}) };
    if (body.dryRun) return this.bulk.dryRun(actor, filter, body.limit);
    return this.bulk.run(actor, action, filter, { limit: body.limit, reason: body.reason ?? '' });
  }
}
