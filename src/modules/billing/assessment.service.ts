import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module';
import type { ResolvedConfig } from '../../config/app-config';
import { allowLongStatements } from '../../database/long-statements';
import { AuditService } from '../audit/audit.service';
import { BillingErrors } from './billing.errors';
import { AssessResultDto } from './dto/admin.dto';
import { assertJalaliYear } from './tariffs.service';
import { run, runAll } from '../../database/sql';
import { PropertyBillingFacts } from '../properties/billing-facts.read-model';
import { AssessmentRepository } from './assessment.repository';
import { GuildLicencesRepository } from './guild-licences.repository';
import { TariffsRepository } from './tariffs.repository';

export interface AssessProgress {
  kind: 'properties' | 'guilds';
  done: number;
  total: number;
  created: number;
}

const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * Yearly assessment of every property (renewal, waste) and active guild licence (guild fee):
 * set-based `insert … select … on conflict do nothing` in id-ordered batches, each batch its
 * own statement (and transaction), so a stopped run resumes by running it again.
 */
@Injectable()
export class AssessmentService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditService,
    private readonly repo: AssessmentRepository,
    private readonly tariffs: TariffsRepository,
    private readonly guilds: GuildLicencesRepository,
    private readonly properties: PropertyBillingFacts,
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
  ) {}

  async assessYear(
    jalaliYear: number,
    options: { em?: EntityManager; batchSize?: number; onProgress?: (p: AssessProgress) => void } = {},
  ): Promise<AssessResultDto> {
    assertJalaliYear(jalaliYear);
    const em = options.em ?? this.em.fork();
    const batchSize = options.batchSize ?? this.config.billing.assessBatchSize;
    const tariffId = await run(em, this.tariffs.latestId(jalaliYear));
    if (!tariffId) throw BillingErrors.TARIFF_NOT_FOUND();
    const [properties, guilds] = await runAll(em, [this.properties.count(), this.guilds.countActive()]);
    const counts = { properties, guilds };
    let created = 0;
    for (const [kind, batch, total] of [
      ['properties', (after: string) => this.repo.propertyBatch(jalaliYear, after, batchSize), counts.properties],
      ['guilds', (after: string) => this.repo.guildBatch(jalaliYear, after, batchSize), counts.guilds],
    ] as const) {
      let after = ZERO_UUID;
      let done = 0;
      for (;;) {
        // each batch its own transaction, allowed longer than a request's statement limit
        const row = await em.transactional(async (tx) => {
          await allowLongStatements(tx, this.config.database.longStatementTimeoutMs);
          return run(tx, batch(after));
        });
        if (!row.lastId || row.n === 0) break;
        after = row.lastId;
        done += row.n;
        created += row.created;
        options.onProgress?.({ kind, done, total, created });
        if (row.n < batchSize) break;
      }
    }
    await run(em, this.audit.record({
      action: 'billing.assessed',
      target: { type: 'billing_tariff', id: tariffId },
      metadata: { jalaliYear, created, properties: counts.properties, guilds: counts.guilds },
    }));
    return { jalaliYear, tariffId, properties: counts.properties, guilds: counts.guilds, created };
  }
}
