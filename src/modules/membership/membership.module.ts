import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { APP_CONFIG } from '../../config/config.module';
import type { ResolvedConfig } from '../../config/app-config';
import { AccessGuard } from './auth/access.guard';
import { JwtStrategy } from './auth/jwt.strategy';
import { StaffUser } from './entities/staff-user.entity';
import { StaffAuthController } from './staff-auth.controller';
import { StaffService } from './staff.service';

@Module({
  imports: [
    MikroOrmModule.forFeature([StaffUser]),
    PassportModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: ResolvedConfig) => ({ secret: config.auth.jwtSecret }),
    }),
  ],
  controllers: [StaffAuthController],
  providers: [StaffService, JwtStrategy, { provide: APP_GUARD, useClass: AccessGuard }],
  exports: [StaffService],
})
export class MembershipModule {}
