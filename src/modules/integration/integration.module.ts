import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { IdempotencyService } from './idempotency.service';
import { OrgApiInterceptor } from './org-api.interceptor';
import { WebhooksModule } from './webhooks.module';

/**
 * Banks', offices' and notaries' integration: webhooks, and for every call made with an
 * organization token the per-client rate limit and quota, Idempotency-Key handling and
 * the audit entry with request/response hashes (OrgApiInterceptor).
 */
@Module({
  imports: [WebhooksModule],
  providers: [IdempotencyService, { provide: APP_INTERCEPTOR, useClass: OrgApiInterceptor }],
  exports: [WebhooksModule],
})
export class IntegrationModule {}
