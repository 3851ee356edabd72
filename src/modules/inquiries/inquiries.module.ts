import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { memoryStorage } from 'multer';
import { MULTIPART_OPTIONS } from '@app/common';
import { APP_CONFIG } from '../../config/config.module';
import type { ResolvedConfig } from '../../config/app-config';
import { BillingModule } from '../billing/billing.module';
import { CalendarModule } from '../calendar/calendar.module';
import { MembershipModule } from '../membership/membership.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { PropertiesModule } from '../properties/properties.module';
import { InquiriesController, TrackingController } from './inquiries.controller';
import { InquiriesService } from './inquiries.service';
import { InquiryDocumentsService } from './inquiry-documents.service';
import { InquiryClock } from './inquiry-clock.service';
import { InquiryWorkflowService } from './inquiry-workflow.service';
import { VisitsService } from './visits.service';
import { InquiryRepository } from './inquiry.repository';
import { InquiryDocumentRepository } from './inquiry-document.repository';
import { InquiryAttemptRepository } from './inquiry-attempt.repository';
import { VisitSlotRepository } from './visit-slot.repository';
import { InquiryQueueReadModel } from './inquiry-queue.read-model';
import { InquiryProgressReadModel } from './inquiry-progress.read-model';
import { InquiryAttempt } from './entities/inquiry-attempt.entity';
import { InquiryDocument } from './entities/inquiry-document.entity';
import { Inquiry } from './entities/inquiry.entity';
import { VisitSlot } from './entities/visit-slot.entity';

/**
 * Property inquiries, citizen side: undertakings, drafts, documents, site visits,
 * submission, tracking. Every statement on the module's tables is in its repositories
 * (`InquiryRepository`, `InquiryDocumentRepository`, `VisitSlotRepository`,
 * `InquiryAttemptRepository`). Other modules use `InquiryWorkflowService` (the only door
 * for a change of an inquiry: lock, transition, event, history, as queries run in the
 * caller's transaction), `InquiriesService.findVisible` / `toDto`, and the read models
 * `InquiryQueueReadModel` (the desk's queue, visits and figures) and `InquiryProgressReadModel`
 * (an inquiry's status and tracking code beside another module's rows).
 */
@Module({
  imports: [
    MikroOrmModule.forFeature([Inquiry, InquiryAttempt, InquiryDocument, VisitSlot]),
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: ResolvedConfig) => ({
        ...MULTIPART_OPTIONS,
        storage: memoryStorage(),
        limits: { fileSize: config.documents.uploadMaxBytes, files: 1, fields: 5, parts: 6 },
      }),
    }),
    MembershipModule,
    PropertiesModule,
    BillingModule,
    CalendarModule,
    NotificationsModule,
  ],
  controllers: [InquiriesController, TrackingController],
  providers: [
    InquiriesService,
    InquiryDocumentsService,
    VisitsService,
    InquiryWorkflowService,
    InquiryClock,
    InquiryRepository,
    InquiryDocumentRepository,
    InquiryAttemptRepository,
    VisitSlotRepository,
    InquiryQueueReadModel,
    InquiryProgressReadModel,
  ],
  exports: [InquiriesService, InquiryWorkflowService, VisitsService, InquiryDocumentsService, InquiryQueueReadModel, InquiryProgressReadModel],
})
export class InquiriesModule {}
