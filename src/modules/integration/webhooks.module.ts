import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { WebhookAttempt } from './entities/webhook-attempt.entity';
import { WebhookDelivery } from './entities/webhook-delivery.entity';
import { WebhookEndpoint } from './entities/webhook-endpoint.entity';
import { MembershipModule } from '../membership/membership.module';
import { OrgApiModule } from '../org-api/org-api.module';
import { OrgWebhooksController } from './webhooks.controller';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhooksService } from './webhooks.service';

/**
 * Webhooks, importable by any module that emits events (inquiries, desk, billing) without
 * depending on the rest of the integration module: `WebhooksService.emit(tx, …)`.
 */
@Module({
  imports: [MikroOrmModule.forFeature([WebhookEndpoint, WebhookDelivery, WebhookAttempt]), OrgApiModule, MembershipModule],
  controllers: [OrgWebhooksController],
  providers: [WebhooksService, WebhookDeliveryRepository],
  exports: [WebhooksService],
})
export class WebhooksModule {}
