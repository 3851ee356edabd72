import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { BillingModule } from '../billing/billing.module';
import { CertificatesModule } from '../certificates/certificates.module';
import { InquiriesModule } from '../inquiries/inquiries.module';
import { MembershipModule } from '../membership/membership.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { PropertiesModule } from '../properties/properties.module';
import { OrgApiModule } from '../org-api/org-api.module';
import { ConsentRequestsController, OrgCertificatesController, OrgInquiriesController } from './org-inquiries.controller';
import { OrgInquiriesService } from './org-inquiries.service';
import { OrgInquiryRequestRepository } from './org-inquiry-request.repository';
import { WebhooksModule } from './webhooks.module';
import { OrgInquiryRequest } from './entities/org-inquiry-request.entity';

/**
 * Banks', offices' and notaries' integration: their inquiries (with the citizen's
 * consent), webhooks, and for every call made with an organization token the per-client
 * rate limit and quota, Idempotency-Key handling and the audit entry with request/response
 * hashes (OrgApiInterceptor, applied with @OrgApi() on each such controller; src/modules/org-api).
 */
@Module({
  imports: [MikroOrmModule.forFeature([OrgInquiryRequest]), OrgApiModule, WebhooksModule, InquiriesModule, CertificatesModule, BillingModule, MembershipModule, PropertiesModule, NotificationsModule],
  controllers: [OrgInquiriesController, OrgCertificatesController, ConsentRequestsController],
  providers: [OrgInquiriesService, OrgInquiryRequestRepository],
  exports: [WebhooksModule],
})
export class IntegrationModule {}
