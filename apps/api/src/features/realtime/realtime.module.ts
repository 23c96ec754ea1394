import { Module } from '@nestjs/common';
import { RealtimeController } from './realtime.controller.js';
import { RealtimeTokenService } from './realtime-token.service.js';

@Module({ controllers: [RealtimeController], providers: [RealtimeTokenService] })
export class RealtimeModule {}
