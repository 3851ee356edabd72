import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Actor, CommonErrors, pageMeta, pageOffset } from '@app/common';
import { formatJalali } from '@app/iran';
import { keepTotal, run, runAll } from '../../database/sql';
import { addDaysIso, tehranDateOf, tehranWallToDate } from '../calendar/domain';
import { CertificateReadModel } from '../certificates/certificate.read-model';
import { STATUS_INFO } from '../inquiries/domain/inquiry-status';
import { InquiryQueueReadModel } from '../inquiries/inquiry-queue.read-model';
import { PropertiesService } from '../properties/properties.service';
import { DeskCaseRepository } from './desk-case.repository';
import { ACTIVE, iso, regionsInView, UNDER_REVIEW } from './desk-rules';
import { DeskSteps } from './desk-steps.service';
import { DeskQueueDto, DeskQueueQuery, DeskStatsDto, DeskVisitDto, StatsQuery, VisitsQuery } from './dto/desk.dto';

/**
 * What the region desks read: the queue, the day's site visits and the figures. The
 * inquiries come from the inquiries module's read model, the addresses from properties, the
 * issued answers from certificates, the holders' names from membership; the desk's own
 * tables through its repository.
 */
@Injectable()
export class DeskQueueService {
  constructor(
    private readonly em: EntityManager,
    private readonly inquiries: InquiryQueueReadModel,
    private readonly cases: DeskCaseRepository,
    private readonly certificates: CertificateReadModel,
    private readonly properties: PropertiesService,
    private readonly steps: DeskSteps,
  ) {}

  async queue(actor: Actor, query: DeskQueueQuery, now = new Date()): Promise<DeskQueueDto> {
    const regions = regionsInView(actor, query.region);
    const { limit, offset } = pageOffset(query);
    const search = query.q?.trim();
    const due = query.sla
      ? query.sla === 'overdue'
        ? { before: now }
        : { from: now, before: tehranWallToDate(addDaysIso(tehranDateOf(now), 1), '00:00') }
      : undefined;
    const filter = { regions, statuses: query.status ? [query.status] : ACTIVE, type: query.type, due, search: search || undefined };
    const queuePage = (l: number, o: number) => this.inquiries.page(filter, l, o);
    const [found, counts] = await runAll(this.em, [queuePage(limit, offset), this.inquiries.statusCounts(regions)]);
    const page = await keepTotal(this.em, found, queuePage, offset);
    const claims = page.items.length ? await run(this.em, this.cases.claims(page.items.map((i) => i.id))) : new Map<string, string>();
    const names = new Map(
      await Promise.all([...new Set(claims.values())].map(async (id) => [id, (await this.steps.staffMember(id))?.fullName ?? null] as const)),
    );
    return {
      items: page.items.map((r) => {
        const claimedBy = claims.get(r.id) ?? null;
        return {
          id: r.id,
          type: r.type,
          status: r.status,
          statusTitle: STATUS_INFO[r.status].fa,
          region: r.region,
          renewalCode: r.renewalCode,
          trackingCode: r.trackingCode,
          submittedAt: iso(r.submittedAt),
          reviewDueAt: iso(r.reviewDueAt),
          reviewDueAtJalali: r.reviewDueAt ? formatJalali(r.reviewDueAt, { time: true }) : null,
          overdue: Boolean(r.reviewDueAt && r.reviewDueAt < now && UNDER_REVIEW.includes(r.status)),
          claimedBy,
          claimedByName: claimedBy ? (names.get(claimedBy) ?? null) : null,
        };
      }),
      counts,
      meta: pageMeta(query, page.total),
    };
  }

  async visitsOfDay(actor: Actor, query: VisitsQuery): Promise<DeskVisitDto[]> {
    const regions = regionsInView(actor, query.region);
    const day = query.date ?? tehranDateOf(new Date());
    const visits = await run(this.em, this.inquiries.visits(regions, tehranWallToDate(day, '00:00'), tehranWallToDate(addDaysIso(day, 1), '00:00')));
    const addresses = new Map(
      await Promise.all(
        [...new Set(visits.map((v) => v.renewalCode))].map(
          async (code) => [code, await this.properties.summary(code).then((p) => p.address ?? null, () => null)] as const,
        ),
      ),
    );
    return visits.map((v) => ({
      id: v.id,
      trackingCode: v.trackingCode,
      region: v.region,
      renewalCode: v.renewalCode,
      address: addresses.get(v.renewalCode) ?? null,
      status: v.status,
      startsAt: v.startsAt.toISOString(),
      startsAtJalali: formatJalali(v.startsAt, { time: true }),
    }));
  }

  async stats(actor: Actor, query: StatsQuery, now = new Date()): Promise<DeskStatsDto> {
    const regions = [...regionsInView(actor)].sort((x, y) => x - y);
    const to = query.to ?? tehranDateOf(now);
    const from = query.from ?? addDaysIso(to, -30);
    if (from > to) throw CommonErrors.BAD_REQUEST();
    const a = tehranWallToDate(from, '00:00');
    const b = tehranWallToDate(addDaysIso(to, 1), '00:00');
    const [figures, issued, medians] = await runAll(this.em, [
      this.inquiries.regionFigures(regions, a, b, now),
      this.certificates.issuedPerRegion(regions, a, b),
      this.cases.medianReviewHours(regions, a, b),
    ]);
    return {
      from,
      to,
      regions: regions.map((region) => {
        const median = medians.get(region) ?? null;
        return {
          region,
          received: figures.get(region)?.received ?? 0,
          answered: issued.get(region) ?? 0,
          overdue: figures.get(region)?.overdue ?? 0,
          medianReviewWorkingHours: median === null ? null : Math.round(median * 100) / 100,
        };
      }),
    };
  }
}
