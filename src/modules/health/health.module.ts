import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { HealthRepository } from './health.repository';
import { ShutdownService } from './shutdown.service';

/** Liveness, readiness and the graceful shutdown that turns readiness off first. */
@Module({ controllers: [HealthController], providers: [HealthRepository, ShutdownService], exports: [ShutdownService] })
export class HealthModule {}
