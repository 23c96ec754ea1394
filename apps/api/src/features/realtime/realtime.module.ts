import { Module } from '@nestjs/common';
import { InboxController } from './inbox.controller.js';
import { InboxGuard } from './inbox.guard.js';
import { InboxService } from './inbox.service.js';
import { RealtimeTokenController } from './realtime-token.controller.js';
import { RealtimeTokenService } from './realtime-token.service.js';

/** Realtime (SPEC §2.4-2.5): the connection token minted for a tenant's user, and that user's inbox. */
@Module({ controllers: [RealtimeTokenController, InboxController], providers: [RealtimeTokenService, InboxService, InboxGuard] })
export class RealtimeModule {}
