import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module';
import type { ResolvedConfig } from '../../config/app-config';
import { JobsService } from '../jobs/jobs.service';
import { SmsMessage } from './entities/sms-message.entity';
import { AdminSmsOutboxController, SandboxSmsOutboxController } from './notifications.controller';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';
import { createSmsProvider } from './providers/provider.factory';
import { SMS_PROVIDER } from './providers/sms-provider';
import { SandboxOutboxGuard } from './sandbox-outbox.guard';
import { SMS_SEND_QUEUE, SmsDeliveryService, SmsSendJobPayload } from './sms-delivery.service';
import { SmsParamSealer } from './sms-param-sealer';
import { SmsTemplates } from './sms-templates';

/**
 * SMS notifications: templates, the outbox, the providers (sandbox, Kavenegar, SMS.ir) and
 * the `sms.send` delivery job. Other modules import it and call NotificationsService.queueSms.
 */
@Module({
  imports: [MikroOrmModule.forFeature([SmsMessage])],
  controllers: [AdminSmsOutboxController, SandboxSmsOutboxController],
  providers: [
    NotificationsService,
    NotificationsRepository,
    SmsDeliveryService,
    SmsTemplates,
    SandboxOutboxGuard,
    { provide: SMS_PROVIDER, inject: [APP_CONFIG], useFactory: createSmsProvider },
    {
      provide: SmsParamSealer,
      inject: [APP_CONFIG],
      useFactory: (config: ResolvedConfig) => new SmsParamSealer(config.auth.otpHmacKey ?? config.auth.jwtSecret),
    },
  ],
  exports: [NotificationsService],
})
export class NotificationsModule implements OnModuleInit {
  constructor(
    private readonly jobs: JobsService,
    private readonly delivery: SmsDeliveryService,
  ) {}

  onModuleInit(): void {
    this.jobs.register<SmsSendJobPayload>(SMS_SEND_QUEUE, (payload, ctx) => this.delivery.deliver(payload, ctx));
  }
}
