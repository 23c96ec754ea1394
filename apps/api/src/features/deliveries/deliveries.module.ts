import { Module } from '@nestjs/common';
import { DeliveryLogTenantController } from './delivery-log.tenant.controller.js';
import { DeliveryLogOperatorController } from './delivery-log.operator.controller.js';
import { DeliveryLogService } from './delivery-log.service.js';
import { DeadLetterTenantController } from './dead-letter.tenant.controller.js';
import { DeadLetterOperatorController } from './dead-letter.operator.controller.js';
import { DeadLetterService } from './dead-letter.service.js';
import { DeadLetterBulkService } from './dead-letter-bulk.service.js';

/** Deliveries: the delivery log (notification logs and their events) and the dead letters, for tenants and operators. */
@Module({
  controllers: [DeliveryLogTenantController, DeliveryLogOperatorController, DeadLetterTenantController, DeadLetterOperatorController],
  providers: [DeliveryLogService, DeadLetterService, DeadLetterBulkService],
})
export class DeliveriesModule {}
