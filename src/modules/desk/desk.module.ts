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
import { DeskService } from './desk.service';
import { DeskCase } from './entities/desk-case.entity';

/** Region service desks: the review queue, finances, visits, two-person answers, SLA. */
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
  providers: [DeskService],
  exports: [DeskService],
})
export class DeskModule {}
