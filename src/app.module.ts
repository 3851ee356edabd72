import { MikroOrmModule } from '@mikro-orm/nestjs';
import { ReadPoolModule } from './database/read-pool';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { ProblemDetailsFilter } from '@app/common';
import { AppConfigModule } from './config/config.module';
import type { ResolvedConfig } from './config/app-config';
import { createOrmOptions } from './database/orm-options';
import { AuditModule } from './modules/audit/audit.module';
import { BillingModule } from './modules/billing/billing.module';
import { PaymentsModule } from './modules/billing/payments/payments.module';
import { CalculatorsModule } from './modules/calculators/calculators.module';
import { CalendarModule } from './modules/calendar/calendar.module';
import { CertificatesModule } from './modules/certificates/certificates.module';
import { DeskModule } from './modules/desk/desk.module';
import { DocumentsModule } from './modules/documents/documents.module';
import { HealthModule } from './modules/health/health.module';
import { InquiriesModule } from './modules/inquiries/inquiries.module';
import { IntegrationModule } from './modules/integration/integration.module';
import { JobsModule } from './modules/jobs/jobs.module';
import { MembershipModule } from './modules/membership/membership.module';
import { NotificationsModule } from './modules/notifications/notifications.module';
import { PropertiesModule } from './modules/properties/properties.module';
import { RateLimitModule } from './modules/rate-limit/rate-limit.module';
import { createRootLogger, loggerParams, ROOT_LOGGER } from './logger';

export interface AppModuleOptions {
  /** Build the module graph without connecting to the database (OpenAPI generation). */
  connect?: boolean;
}

@Module({})
export class AppModule {
  static forRoot(config: ResolvedConfig, options: AppModuleOptions = {}): DynamicModule {
    const rootLogger = createRootLogger(config);
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(rootLogger)),
        MikroOrmModule.forRoot({
          ...createOrmOptions({
            url: config.database.url,
            poolMax: config.database.poolMax,
            queryTimeoutMs: config.database.queryTimeoutMs,
            session: config.database.session,
            acquireTimeoutMs: config.database.acquireTimeoutMs,
            debug: config.database.debug,
            connect: options.connect ?? true,
            entities: 'modules',
          }),
          // each module registers its own entities (MikroOrmModule.forFeature in its *.module.ts)
          autoLoadEntities: true,
          // installed by configureApp (src/database/request-context.ts), after the hot reads, which need none
          registerRequestContext: false,
        }),
        ReadPoolModule,
        AuditModule,
        JobsModule,
        RateLimitModule,
        DocumentsModule,
        MembershipModule,
        NotificationsModule,
        CalendarModule,
        PropertiesModule,
        BillingModule,
        CalculatorsModule,
        PaymentsModule,
        InquiriesModule,
        CertificatesModule,
        DeskModule,
        IntegrationModule,
        HealthModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: ProblemDetailsFilter }, { provide: ROOT_LOGGER, useValue: rootLogger }],
    };
  }
}
