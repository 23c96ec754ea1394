import { Controller, Get, HttpCode, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Access, AccessGuard } from '../../platform/auth/access.js';
import { parseJsonBody } from '../../platform/json-body.js';
import {
  activateBody,
  createVersionBody,
  draftPreviewBody,
  listTemplatesQuery,
  listVersionsQuery,
  previewBody,
  testSendBody,
} from './template.schemas.js';
import { TenantTemplateService } from './tenant-template.service.js';
import { RequestActors } from '../../platform/auth/actor.js';
import { idParam, parseQuery, paginated } from '../../platform/query-params.js';

/** /api/v1/tenant/templates: the tenant's own templates and their versions (SPEC §4, §6). */
@Controller('api/v1/tenant/templates')
@UseGuards(AccessGuard)
export class TemplateTenantController {
  constructor(
    private readonly templates: TenantTemplateService,
    private readonly actors: RequestActors,
  ) {}

  @Get()
  @Access('tenant:viewer')
  async list(@Req() request: FastifyRequest, @Query() query: unknown) {
    const q = parseQuery(query, listTemplatesQuery);
    const { rows, total } = await this.templates.list(this.actors.of(request), q);
    return paginated(rows, q, total);
  }

  @Post()
  @Access('tenant:admin')
  async create(@Req() request: FastifyRequest) {
    return { success: true, data: await this.templates.create(this.actors.of(request), parseJsonBody(request, createVersionBody)) };
  }

  @Post('preview')
  @Access('tenant:viewer')
  @HttpCode(200)
  async previewDraft(@Req() request: FastifyRequest) {
    return { success: true, data: await this.templates.previewDraft(this.actors.of(request), parseJsonBody(request, draftPreviewBody)) };
  }

  @Get(':id/versions')
  @Access('tenant:viewer')
  async versions(@Req() request: FastifyRequest, @Param('id') id: string, @Query() query: unknown) {
    const q = parseQuery(query, listVersionsQuery);
    const { rows, total } = await this.templates.versions(this.actors.of(request), idParam(id), q);
    return paginated(rows, q, total);
  }

  @Post(':id/activate')
  @Access('tenant:admin')
  @HttpCode(200)
  async activate(@Req() request: FastifyRequest, @Param('id') id: string) {
    const actor = this.actors.of(request);
    const target = idParam(id);
    return { success: true, data: await this.templates.activate(actor, target, parseJsonBody(request, activateBody).version) };
  }

  @Post(':id/deactivate')
  @Access('tenant:admin')
  @HttpCode(200)
  async deactivate(@Req() request: FastifyRequest, @Param('id') id: string) {
    return { success: true, data: await this.templates.activate(this.actors.of(request), idParam(id), null) };
  }

  @Post(':id/preview')
  @Access('tenant:viewer')
  @HttpCode(200)
  async preview(@Req() request: FastifyRequest, @Param('id') id: string) {
    const actor = this.actors.of(request);
    const target = idParam(id);
    return { success: true, data: await this.templates.preview(actor, target, parseJsonBody(request, previewBody)) };
  }

  @Post(':id/test-send')
  @Access('tenant:admin')
  @HttpCode(202)
  async testSend(@Req() request: FastifyRequest, @Param('id') id: string) {
    const actor = this.actors.of(request);
    const target = idParam(id);
    return { success: true, data: await this.templates.testSend(actor, target, parseJsonBody(request, testSendBody)) };
  }
}
