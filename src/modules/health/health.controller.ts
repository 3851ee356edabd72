import { MikroORM } from '@mikro-orm/postgresql';
import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '@app/common';
import { run } from '../../database/sql';
import { StorageService } from '../documents/storage.service';
import { HealthRepository } from './health.repository';
import { ShutdownService } from './shutdown.service';

class CheckDto {
  @ApiProperty({ enum: ['up', 'down'], example: 'up' }) status: 'up' | 'down';
  @ApiProperty({ example: 4, description: 'Milliseconds the check took' }) latencyMs: number;
  @ApiProperty({ required: false, example: 'timed out after 2000 ms' }) error?: string;
}

class ChecksDto {
  @ApiProperty({ type: CheckDto }) database: CheckDto;
  @ApiProperty({ type: CheckDto }) storage: CheckDto;
}

class ReadyDto {
  @ApiProperty({ enum: ['ready', 'not_ready'], example: 'ready' }) status: 'ready' | 'not_ready';
  @ApiProperty({ example: false, description: 'The instance is shutting down (SIGTERM): it finishes what it has, take it out of rotation' })
  draining: boolean;
  @ApiProperty({ type: ChecksDto }) checks: ChecksDto;
}

class LiveDto {
  @ApiProperty({ example: 'alive' }) status: 'alive';
  @ApiProperty({ example: 123.4, description: 'Process uptime in seconds' }) uptimeSeconds: number;
}

/** Liveness and readiness for load balancers and orchestrators (outside /api/v1). */
@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly orm: MikroORM,
    private readonly storage: StorageService,
    private readonly shutdown: ShutdownService,
    private readonly repo: HealthRepository,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers', description: 'Never touches dependencies.' })
  @ApiOkResponse({ type: LiveDto })
  live(): LiveDto {
    return { status: 'alive', uptimeSeconds: Math.round(process.uptime() * 10) / 10 };
  }

  @Get('ready')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Readiness: database and object storage answer',
    description:
      'Answers 503 with `Retry-After` while either dependency is down, and from the moment the instance is told to stop ' +
      '(SIGTERM: `draining` true) while it finishes its in-flight requests and jobs.',
  })
  @ApiOkResponse({ type: ReadyDto })
  @ApiServiceUnavailableResponse({ type: ReadyDto, description: 'A dependency is down, or the instance is shutting down' })
  async ready(@Res({ passthrough: true }) res: Response): Promise<ReadyDto> {
    const [database, storage] = await Promise.all([
      check(() => run(this.orm.em.fork(), this.repo.ping())),
      check(() => this.storage.ping().then((ok) => (ok ? ok : Promise.reject(new Error('bucket missing'))))),
    ]);
    const draining = this.shutdown.draining;
    const ok = !draining && database.status === 'up' && storage.status === 'up';
    if (!ok) {
      res.status(503);
      res.setHeader('Retry-After', '5');
    }
    return { status: ok ? 'ready' : 'not_ready', draining, checks: { database, storage } };
  }
}

async function check(fn: () => Promise<unknown>, timeoutMs = 3000): Promise<CheckDto> {
  const started = Date.now();
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs).unref()),
    ]);
    return { status: 'up', latencyMs: Date.now() - started };
  } catch (err) {
    return { status: 'down', latencyMs: Date.now() - started, error: (err as Error).message.slice(0, 200) };
  }
}
