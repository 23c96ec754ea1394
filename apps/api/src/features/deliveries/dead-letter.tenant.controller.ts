import { Controller, Get, HttpCode, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Access, AccessGuard } from '../../platform/auth/access.js';
import { parseJsonBody } from '../../platform/json-body.js';
import { bulkReplayBody, dlqListQuery, reasonBody, replayFilter } from './dead-letter.schemas.js';
import { DeadLetterService } from './dead-letter.service.js';
import { RequestActors } from '../../platform/auth/actor.js';
import { idParam, parseQuery, paginated } from '../../platform/query-params.js';

/** /api/v1/tenant/dlq: the tenant's dead letters (SPEC §3 step 5, §6). Ids are notification ids. */
@Controller('api/v1/tenant/dlq')
@UseGuards(AccessGuard)
export class DeadLetterTenantController {
  constructor(
    private readonly dlq: DeadLetterService,
    private readonly actors: RequestActors,
  ) {}

  @Get()
  @Access('tenant:viewer')
  async list(@Req() request: FastifyRequest, @Query() query: unknown) {
    const q = parseQuery(query, dlqListQuery);
    const { rows, total } = await this.dlq.list(this.actors.of(request), { ...replayFilter(q), status: q.status }, q);
    return paginated(rows, q, total);
  }

  @Post('replay')
  @Access('tenant:admin')
  @HttpCode(200)
  async replayMatching(@Req() request: FastifyRequest) {
    const body = parseJsonBody(request, bulkReplayBody);
    return { success: true, data: await this.dlq.replayMatching(this.actors.of(request), replayFilter(body.filter), body) };
  }

  @Get(':id')
  @Access('tenant:viewer')
  async inspect(@Req() request: FastifyRequest, @Param('id') id: string) {
    return { success: true, data: await this.dlq.inspect(this.actors.of(request), idParam(id)) };
  }

  @Post(':id/replay')
  @Access('tenant:admin')
  @HttpCode(200)
  async replay(@Req() request: FastifyRequest, @Param('id') id: string) {
    const actor = this.actors.of(request);
    const target = idParam(id);
    return { success: true, data: await this.dlq.replayOne(actor, target, parseJsonBody(request, reasonBody).reason) };
  }

  @Post(':id/discard')
  @Access('tenant:admin')
  @HttpCode(200)
  async discard(@Req() request: FastifyRequest, @Param('id') id: string) {
    const actor = this.actors.of(request);
    const target = idParam(id);
    return { success: true, data: await this.dlq.discard(actor, target, parseJsonBody(request, reasonBody).reason) };
  }
}
