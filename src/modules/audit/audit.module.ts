import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Global, Module } from '@nestjs/common';
import { AuditService } from './audit.service';
import { AuditRepository } from './audit.repository';
import { AuditLog } from './entities/audit-log.entity';

@Global()
@Module({
  imports: [MikroOrmModule.forFeature([AuditLog])],
  providers: [AuditService, AuditRepository],
  exports: [AuditService],
})
export class AuditModule {}
