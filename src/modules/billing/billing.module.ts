import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { OrgApiModule } from '../org-api/org-api.module';
import { MembershipModule } from '../membership/membership.module';
import { PropertiesModule } from '../properties/properties.module';
import { AdminBillingController } from './admin-billing.controller';
import { AssessmentRepository } from './assessment.repository';
import { AssessmentService } from './assessment.service';
import { BankPaymentsRepository } from './bank-payments.repository';
import { BankPaymentsService } from './bank-payments.service';
import { BankController, DebtsController, PaymentHistoryController, PublicPaymentHistoryController } from './billing.controller';
import { BillingService } from './billing.service';
import { BillsRepository } from './bills.repository';
import { DemandsRepository } from './demands.repository';
import { GuildLicencesRepository } from './guild-licences.repository';
import { TariffsRepository } from './tariffs.repository';
import { BankBillPayment } from './entities/bank-bill-payment.entity';
import { Bill } from './entities/bill.entity';
import { DemandAmendment } from './entities/demand-amendment.entity';
import { Demand } from './entities/demand.entity';
import { GuildLicence } from './entities/guild-licence.entity';
import { RegionalValue } from './entities/regional-value.entity';
import { Tariff } from './entities/tariff.entity';
import { GuildsService } from './guilds.service';
import { TariffsService } from './tariffs.service';

/**
 * Renewal, waste and guild fees: tariffs, guild licences, yearly assessment, debts, bills
 * (bank-standard IDs), settlement and the bank bill-payment channel. The payments flow
 * (gateways) builds on `BillingService.getPayableBill` and `settleBill`; the inquiry
 * workflow calls `BillingService.fileStatus`.
 */
@Module({
  imports: [
    MikroOrmModule.forFeature([Tariff, RegionalValue, GuildLicence, Demand, DemandAmendment, Bill, BankBillPayment]),
    MembershipModule,
    PropertiesModule,
    OrgApiModule,
  ],
  controllers: [DebtsController, PublicPaymentHistoryController, PaymentHistoryController, BankController, AdminBillingController],
  providers: [
    BillingService,
    TariffsService,
    AssessmentService,
    GuildsService,
    BankPaymentsService,
    AssessmentRepository,
    BankPaymentsRepository,
    BillsRepository,
    DemandsRepository,
    GuildLicencesRepository,
    TariffsRepository,
  ],
  exports: [BillingService, TariffsService, AssessmentService, GuildsService],
})
export class BillingModule {}
