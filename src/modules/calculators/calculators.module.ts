import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { BillingModule } from '../billing/billing.module';
import { PropertiesModule } from '../properties/properties.module';
import { AdminCalculatorsController } from './admin-calculators.controller';
import { CalculatorTariffsRepository } from './calculator-tariffs.repository';
import { CalculatorTariffsService } from './calculator-tariffs.service';
import { CalculatorsController } from './calculators.controller';
import { CalculatorsService } from './calculators.service';
import { CalculatorTariff } from './entities/calculator-tariff.entity';

/**
 * Public calculators (allowed density, floor areas, density-issuance fee, building-permit
 * estimate) over the pure domain in `domain/`, and the versioned tariff tables they use.
 * Reads properties (parcel, zoning, widening) and billing (regional values) through their
 * services; stores nothing but the tables.
 */
@Module({
  imports: [MikroOrmModule.forFeature([CalculatorTariff]), PropertiesModule, BillingModule],
  controllers: [CalculatorsController, AdminCalculatorsController],
  providers: [CalculatorTariffsRepository, CalculatorsService, CalculatorTariffsService],
  exports: [CalculatorsService, CalculatorTariffsService],
})
export class CalculatorsModule {}
