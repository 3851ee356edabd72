import { MikroOrmModule } from '@mikro-orm/nestjs';
import { EntityManager } from '@mikro-orm/postgresql';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { APP_CONFIG } from '../../config/config.module';
import type { ResolvedConfig } from '../../config/app-config';
import { OrgApiModule } from '../org-api/org-api.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { AccessGuard } from './auth/access.guard';
import { JwtStrategy } from './auth/jwt.strategy';
import { OtpChallengeRepository } from './auth/otp-challenge.repository';
import { OtpService } from './auth/otp.service';
import { PrincipalStateRepository } from './auth/principal-state.repository';
import { PrincipalStateService } from './auth/principal-state.service';
import { StaffLoginThrottle } from './auth/staff-login-throttle';
import { StaffLoginThrottleRepository } from './auth/staff-login-throttle.repository';
import { TokenService } from './auth/token.service';
import { jwtKey } from './auth/token.types';
import { AdminCitizensController, CitizenAuthController, MeController } from './citizen-auth.controller';
import { CitizenAuthService } from './citizen-auth.service';
import { CitizenRepository } from './citizen.repository';
import { ApiClient } from './entities/api-client.entity';
import { Citizen } from './entities/citizen.entity';
import { IdentityRegistryPerson } from './entities/identity-registry-person.entity';
import { Organization } from './entities/organization.entity';
import { IDENTITY_PROVIDER } from './identity/identity-provider';
import { createIdentityProvider } from './identity/identity-provider.factory';
import { IdentityRegistryController } from './identity/identity-registry.controller';
import { IdentityRegistryRepository } from './identity/identity-registry.repository';
import { IdentityRegistryService } from './identity/identity-registry.service';
import { IdentityVerificationService } from './identity-verification.service';
import { DeskIdentityController } from './identity/desk-identity.controller';
import { DeskIdentityService } from './identity/desk-identity.service';
import { OtpChallenge } from './entities/otp-challenge.entity';
import { RefreshToken } from './entities/refresh-token.entity';
import { Region } from './entities/region.entity';
import { StaffLoginThrottleRow } from './entities/staff-login-throttle.entity';
import { StaffUser } from './entities/staff-user.entity';
import { AdminOrganizationsController, OAuthController, OrgSelfController, RegionsController } from './organizations.controller';
import { OrganizationsService } from './organizations.service';
import { OrganizationRepository } from './organization.repository';
import { RegionRepository } from './region.repository';
import { RegionsService } from './regions.service';
import { AdminStaffController, StaffAuthController } from './staff-auth.controller';
import { OrganizationReadModel } from './organization.read-model';
import { StaffReadModel } from './staff.read-model';
import { StaffRepository } from './staff.repository';
import { StaffService } from './staff.service';

/** Citizens (SMS OTP), staff (password + SMS second factor), organizations (OAuth2), regions. */
@Module({
  imports: [
    MikroOrmModule.forFeature([ApiClient, Citizen, IdentityRegistryPerson, Organization, OtpChallenge, RefreshToken, Region, StaffLoginThrottleRow, StaffUser]),
    PassportModule,
    NotificationsModule,
    OrgApiModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: ResolvedConfig) => ({ secret: jwtKey(config.auth.jwtSecret) }),
    }),
  ],
  controllers: [
    CitizenAuthController,
    MeController,
    AdminCitizensController,
    StaffAuthController,
    AdminStaffController,
    OAuthController,
    AdminOrganizationsController,
    OrgSelfController,
    RegionsController,
    IdentityRegistryController,
    DeskIdentityController,
  ],
  providers: [
    CitizenAuthService,
    CitizenRepository,
    StaffService,
    StaffRepository,
    StaffReadModel,
    OrganizationReadModel,
    OrganizationsService,
    OrganizationRepository,
    RegionsService,
    RegionRepository,
    OtpService,
    OtpChallengeRepository,
    TokenService,
    PrincipalStateRepository,
    PrincipalStateService,
    StaffLoginThrottle,
    StaffLoginThrottleRepository,
    JwtStrategy,
    IdentityRegistryRepository,
    IdentityRegistryService,
    IdentityVerificationService,
    DeskIdentityService,
    { provide: IDENTITY_PROVIDER, inject: [APP_CONFIG, EntityManager, IdentityRegistryRepository], useFactory: createIdentityProvider },
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [CitizenAuthService, StaffService, StaffReadModel, OrganizationReadModel, OrganizationsService, RegionsService, IdentityVerificationService, IdentityRegistryService],
})
export class MembershipModule {}
