import { Controller, Get, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.js';
import { toDetails } from '../../platform/json-body.js';
import { InboxGuard } from './inbox.guard.js';
import { inboxListQuerySchema } from './inbox.schemas.js';
import { InboxService } from './inbox.service.js';

/** SPEC §2.5. Browsers call these with the realtime token (any origin, no cookies); backends with the API key and ?userId=. */
@Controller('api/v1/inbox')
@UseGuards(InboxGuard)
export class InboxController {
  constructor(private readonly inbox: InboxService) {}

  @Get('notifications')
  async list(@Req() request: FastifyRequest) {
    const parsed = inboxListQuerySchema.safeParse(request.query);
    if (!parsed.success) throw new AppError('VALIDATION_FAILED', { details: toDetails(parsed.error.issues) });
    return this.inbox.list(request.inboxOwner!, parsed.data);
  }

  @Get('unread-count')
  async unreadCount(@Req() request: FastifyRequest) {
    return this.inbox.unreadCount(request.inboxOwner!);
  }

  @Post('notifications/:id/read')
  @HttpCode(200)
  async markRead(@Req() request: FastifyRequest, @Param('id') id: string) {
    return this.inbox.markRead(request.inboxOwner!, id);
  }

  @Post('read-all')
  @HttpCode(200)
  async markAllRead(@Req() request: FastifyRequest) {
    return this.inbox.markAllRead(request.inboxOwner!);
  }
}
