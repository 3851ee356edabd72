import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { memoryStorage } from 'multer';
import { MULTIPART_OPTIONS } from '@app/common';
import { APP_CONFIG } from '../../config/config.module';
import type { ResolvedConfig } from '../../config/app-config';
import { BillingModule } from '../billing/billing.module';
import { CalendarModule } from '../calendar/calendar.module';
import { CertificatesModule } from '../certificates/certificates.module';
import { InquiriesModule } from '../inquiries/inquiries.module';
import { MembershipModule } from '../membership/membership.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { PropertiesModule } from '../properties/properties.module';
import { DeskController } from './desk.controller';
import { AnswerContentBuilder } from './answer-content.builder';
import { DeskAnswerService } from './desk-answer.service';
import { DeskCaseRepository } from './desk-case.repository';
import { DeskDetailService } from './desk-detail.service';
import { DeskPartiesService } from './desk-parties.service';
import { DeskFinanceService } from './desk-finance.service';
import { DeskQueueService } from './desk-queue.service';
import { DeskReviewService } from './desk-review.service';
import { DeskSlaService } from './desk-sla.service';
import { DeskSteps } from './desk-steps.service';
import { DeskVisitService } from './desk-visit.service';
import { DeskCase } from './entities/desk-case.entity';

/**
 * Region service desks: the queue and figures (`DeskQueueService`, reading inquiries through
 * their read model), an inquiry's desk page (`DeskDetailService`), the case commands (review,
 * finances, visit, the two-person answer) and the SLA clock; `DeskSteps` runs every command
 * in one transaction with the inquiry locked through the inquiries workflow.
 */
@Module({
  imports: [
    MikroOrmModule.forFeature([DeskCase]),
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: ResolvedConfig) => ({
        ...MULTIPART_OPTIONS,
        storage: memoryStorage(),
        limits: { fileSize: config.documents.uploadMaxBytes, files: 4, fields: 5, parts: 9 },
      }),
    }),
    InquiriesModule,
    CertificatesModule,
    BillingModule,
    CalendarModule,
    PropertiesModule,
    MembershipModule,
    NotificationsModule,
  ],
  controllers: [DeskController],
  providers: [
    DeskSteps,
    DeskCaseRepository,
    DeskDetailService,
    DeskPartiesService,
    DeskQueueService,
    DeskReviewService,
    DeskFinanceService,
    DeskVisitService,
    AnswerContentBuilder,
    DeskAnswerService,
    DeskSlaService,
  ],
  exports: [DeskFinanceService, DeskSlaService],
})
export class DeskModule {}
