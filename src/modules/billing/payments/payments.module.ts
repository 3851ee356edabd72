import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { BillingModule } from '../billing.module';
import { paymentGatewaysProvider, SANDBOX_PAYMENT_GATEWAY } from '../gateways/gateways.providers';
import { Payment } from './payment.entity';
import { AdminPaymentsController, PaymentsController } from './payments.controller';
import { PaymentsRepository } from './payments.repository';
import { PaymentsService } from './payments.service';
import { SandboxGatewayController, SandboxGatewayGuard } from './sandbox-gateway.controller';
import { SandboxTransaction } from './sandbox-transaction.entity';
import { SandboxGateway } from './sandbox.gateway';
import { SandboxTransactionsRepository } from './sandbox-transactions.repository';

/**
 * Internet payments of bills (part of billing): the gateways enabled by PAYMENT_GATEWAYS,
 * the built-in sandbox gateway with its page, payments, callbacks, reconciliation and
 * receipts. Builds on BillingService.getPayableBill / settleBill.
 */
@Module({
  imports: [MikroOrmModule.forFeature([Payment, SandboxTransaction]), BillingModule],
  controllers: [PaymentsController, AdminPaymentsController, SandboxGatewayController],
  providers: [
    SandboxGateway,
    { provide: SANDBOX_PAYMENT_GATEWAY, useExisting: SandboxGateway },
    paymentGatewaysProvider,
    SandboxGatewayGuard,
    PaymentsService,
    PaymentsRepository,
    SandboxTransactionsRepository,
  ],
  exports: [PaymentsService],
})
export class PaymentsModule {}
