import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Global, Module } from '@nestjs/common';
import { Job } from './entities/job.entity';
import { JobsService } from './jobs.service';
import { JobsRepository } from './jobs.repository';

/** The durable job queue; other modules register handlers and enqueue through JobsService. */
@Global()
@Module({
  imports: [MikroOrmModule.forFeature([Job])],
  providers: [JobsService, JobsRepository],
  exports: [JobsService],
})
export class JobsModule {}
