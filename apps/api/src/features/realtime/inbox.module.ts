import { Module } from '@nestjs/common';
import { InboxController } from './inbox.controller.js';
import { InboxGuard } from './inbox.guard.js';
import { InboxService } from './inbox.service.js';

@Module({ controllers: [InboxController], providers: [InboxService, InboxGuard] })
export class InboxModule {}
