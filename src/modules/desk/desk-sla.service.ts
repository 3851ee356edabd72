import { RequestContext } from '@mikro-orm/core';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module';
import type { ResolvedConfig } from '../../config/app-config';
import { run, runAll } from '../../database/sql';
import { InquiryQueueReadModel } from '../inquiries/inquiry-queue.read-model';
import { InquiryWorkflowService } from '../inquiries/inquiry-workflow.service';
import { JobsService } from '../jobs/jobs.service';
import { StaffReadModel, StaffRole } from '../membership/staff.read-model';
import { NotificationsService } from '../notifications/notifications.service';
import { DeskCaseRepository } from './desk-case.repository';

export const DESK_SLA_QUEUE = 'desk.sla_scan';

/**
 * The review clock: every DESK_SLA_SCAN_SECONDS (one job per slot across instances) marks the
 * reviews past their due time, once per review cycle, and tells each region's managers by SMS.
 */
@Injectable()
export class DeskSlaService implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DeskSlaService.name);
  private slaTimer?: NodeJS.Timeout;

  constructor(
    private readonly orm: MikroORM,
    private readonly inquiries: InquiryQueueReadModel,
    private readonly cases: DeskCaseRepository,
    private readonly workflow: InquiryWorkflowService,
    private readonly notifications: NotificationsService,
    private readonly jobs: JobsService,
    private readonly staff: StaffReadModel,
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.register<{ slot: number }>(DESK_SLA_QUEUE, (_payload, ctx) => RequestContext.create(ctx.em, async () => void (await this.slaScan(ctx.em))));
  }

  /** With the job worker on, queues the SLA scan every DESK_SLA_SCAN_SECONDS (one job per slot across instances). */
  onApplicationBootstrap(): void {
    if (!this.config.jobs.workerEnabled) return;
    const every = this.config.desk.slaScanSeconds * 1000;
    const tick = () => {
      const slot = Math.floor(Date.now() / every);
      // one job per slot: when another instance queued this slot's scan first, the dedupe key makes this a no-op
      run(this.orm.em.fork(), this.jobs.enqueue(DESK_SLA_QUEUE, { slot }, { dedupeKey: `desk-sla:${slot}`, maxAttempts: 1 })).catch((err: unknown) =>
        this.logger.warn({ err }, 'could not queue the SLA scan'),
      );
    };
    this.slaTimer = setInterval(tick, every);
    this.slaTimer.unref();
    setTimeout(tick, 5000).unref();
  }

  onModuleDestroy(): void {
    if (this.slaTimer) clearInterval(this.slaTimer);
  }

  /**
   * Marks reviews past their due time (once per review cycle: a resubmission has a later due
   * time) and tells each region's managers by SMS. Returns the newly overdue inquiries.
   */
  async slaScan(em: EntityManager = this.orm.em.fork()): Promise<Array<{ inquiryId: string; region: number }>> {
    return em.transactional(async (tx) => {
      const overdue = await run(tx, this.inquiries.overdueReviews());
      if (!overdue.length) return [];
      const marked = await run(tx, this.cases.markOverdue(overdue.map((o) => ({ inquiryId: o.id, region: o.region, dueAt: o.reviewDueAt }))));
      const status = new Map(overdue.map((o) => [o.id, o.status]));
      const perRegion = new Map<number, number>();
      for (const m of marked) perRegion.set(m.region, (perRegion.get(m.region) ?? 0) + 1);
      for (const [region, count] of perRegion) {
        const managers = await run(tx, this.staff.mobilesWithRole(StaffRole.RegionManager, region));
        await runAll(
          tx,
          managers.flatMap((mobile) => this.notifications.queueSms({ mobile, template: 'desk_sla_overdue', params: { region: String(region), count: String(count) } }).queries),
        );
        this.logger.warn({ region, count }, 'inquiry reviews overdue');
      }
      await runAll(
        tx,
        marked.map((m) => this.workflow.event({ id: m.inquiryId, status: status.get(m.inquiryId)! }, 'desk.overdue', { region: m.region })),
      );
      return marked;
    });
  }
}
