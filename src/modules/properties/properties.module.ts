import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { MembershipModule } from '../membership/membership.module';
import { PropertyBillingFacts } from './billing-facts.read-model';
import { AdminPropertiesController } from './admin-properties.controller';
import { CityLayerFeature } from './entities/city-layer-feature.entity';
import { PropertyCertificate } from './entities/property-certificate.entity';
import { PropertyOwner } from './entities/property-owner.entity';
import { Property } from './entities/property.entity';
import { WideningPlan } from './entities/widening-plan.entity';
import { Zone } from './entities/zone.entity';
import { CityLayersRepository } from './city-layers.repository';
import { CityViewService } from './city-view.service';
import { MapController, PropertiesController } from './properties.controller';
import { PropertiesRepository } from './properties.repository';
import { PropertiesService } from './properties.service';
import { PropertyAdminService } from './property-admin.service';
import { PropertyBulkLoadService } from './property-bulk-load.service';
import { PropertyImportRepository } from './property-import.repository';
import { PropertyImportService } from './property-import.service';

/** The property registry and the public map services (lookup, map, zoning, street widening). */
@Module({
  imports: [
    MikroOrmModule.forFeature([Property, PropertyOwner, PropertyCertificate, Zone, WideningPlan, CityLayerFeature]),
    MembershipModule,
  ],
  controllers: [PropertiesController, MapController, AdminPropertiesController],
  providers: [
    PropertiesRepository,
    PropertyImportRepository,
    CityLayersRepository,
    PropertiesService,
    CityViewService,
    PropertyImportService,
    PropertyAdminService,
    PropertyBillingFacts,
    PropertyBulkLoadService,
  ],
  exports: [PropertiesService, PropertyBillingFacts, PropertyBulkLoadService],
})
export class PropertiesModule {}
