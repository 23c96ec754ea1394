import { Controller, Get, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Access, AccessGuard } from '../../platform/auth/access.js';
import { parseJsonBody } from '../../platform/json-body.js';
import { GlobalTemplateService } from './global-template.service.js';
import { activateSchema, createGlobalVersionSchema, draftPreviewBody, globalListQuerySchema } from './template.schemas.js';
import { RequestActors } from '../../platform/auth/actor.js';
import { idParam, pageQuerySchema, paginated, parseQuery } from '../../platform/query-params.js';

/** Operator routes for the platform's global templates, and the preview of an unsaved global template draft. */
@Controller('api/v1/admin/global-templates')
@UseGuards(AccessGuard)
export class GlobalTemplateOperatorController {
  constructor(
    private readonly templates: GlobalTemplateService,
    private readonly actors: RequestActors,
  ) {}

  @Post()
  @Access('operator')
  async create(@Req() request: FastifyRequest) {
    const input = parseJsonBody(request, createGlobalVersionSchema);
    const saved = await this.templates.saveVersion(this.actors.of(request), {
      eventType: input.eventType,
      locale: input.locale,
      activate: input.activate,
      draft: input.template,
    });
    return { success: true, data: saved };
  }

  @Get()
  @Access('operator')
  async list(@Req() request: FastifyRequest) {
    const page = parseQuery(request.query, globalListQuerySchema);
    const { templates, total } = await this.templates.list(this.actors.of(request), page);
    return paginated(templates, page, total);
  }

  @Get(':templateId')
  @Access('operator')
  async one(@Req() request: FastifyRequest, @Param('templateId') templateId: string) {
    return { success: true, data: await this.templates.one(this.actors.of(request), idParam(templateId)) };
  }

  @Get(':templateId/versions')
  @Access('operator')
  async versions(@Req() request: FastifyRequest, @Param('templateId') templateId: string) {
    const page = parseQuery(request.query, pageQuerySchema);
    const { versions, total } = await this.templates.versions(this.actors.of(request), idParam(templateId), page);
    return paginated(versions, page, total);
  }

  @Post(':templateId/activate')
  @HttpCode(200)
  @Access('operator')
  async activate(@Req() request: FastifyRequest, @Param('templateId') templateId: string) {
    const { version } = parseJsonBody(request, activateSchema);
    return { success: true, data: await this.templates.activate(this.actors.of(request), idParam(templateId), version) };
  }

  @Post('preview')
  @Access('operator')
  @HttpCode(200)
  async previewDraft(@Req() request: FastifyRequest) {
    return { success: true, data: await this.templates.previewDraft(this.actors.of(request), parseJsonBody(request, draftPreviewBody)) };
  }
}
