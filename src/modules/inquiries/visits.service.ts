import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Actor, CommonErrors } from '@app/common';
import { formatJalali } from '@app/iran';
import { APP_CONFIG } from '../../config/config.module';
import type { ResolvedConfig } from '../../config/app-config';
import { parseDay } from '../calendar/calendar.service';
import { addDaysIso, parseHhMm, tehranDateOf, tehranWallToDate } from '../calendar/domain';
import { EDITABLE_STATUSES, InquiryType } from './domain/inquiry-status';
import { InquiryDto, VisitSlotDto } from './dto/inquiry.dto';
import { InquiriesErrors } from './inquiries.errors';
import { InquiryClock } from './inquiry-clock.service';
import { InquiryPage, InquiryWorkflowService } from './inquiry-workflow.service';
import { InquiryRow } from './inquiry.repository';
import { VisitSlotRepository } from './visit-slot.repository';
import { cte, type Query, readDecideWrite, run, withCtes } from '../../database/sql';

export interface SlotTime {
  id: string;
  region: number;
  startsAt: Date;
  endsAt: Date;
}

const SLOT_ID = /^(\d)-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})$/;
/** Slots starting sooner than this are not offered (an inspector needs notice). */
const MIN_NOTICE_MS = 2 * 3600_000;

/**
 * Site visits of notary inquiries. Bookable slots are cut from each working day's opening
 * hours (INQUIRY_VISIT_SLOT_MINUTES) of the working calendar; each region takes
 * INQUIRY_VISIT_CAPACITY visits per slot. A booking is one conditional upsert
 * (`… on conflict do update … where booked < capacity`), so concurrent bookings of the last
 * place cannot both win; rebooking releases the old place in the same transaction.
 */
@Injectable()
export class VisitsService {
  constructor(
    private readonly em: EntityManager,
    private readonly clock: InquiryClock,
    private readonly workflow: InquiryWorkflowService,
    private readonly slots: VisitSlotRepository,
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
  ) {}

  get inquiryConfig(): ResolvedConfig['inquiries'] {
    return this.config.inquiries;
  }

  /** The slot times of `days` working days from `fromIso` (Tehran dates), without bookings. */
  async slotTimes(region: number, fromIso: string, days: number): Promise<SlotTime[]> {
    const step = this.config.inquiries.visitSlotMinutes;
    const lookup = await this.clock.lookup();
    const out: SlotTime[] = [];
    let date = fromIso;
    for (let found = 0, guard = 0; found < days && guard < days * 3 + 30; guard++, date = addDaysIso(date, 1)) {
      const day = lookup(date);
      if (day.kind === 'holiday' || !day.opensAt || !day.closesAt) continue;
      found++;
      const open = parseHhMm(day.opensAt);
      const close = parseHhMm(day.closesAt);
      for (let m = open; m + step <= close; m += step) {
        const hhmm = `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
        const startsAt = tehranWallToDate(date, hhmm);
        out.push({
          id: `${region}-${date.replace(/-/g, '')}-${hhmm.replace(':', '')}`,
          region,
          startsAt,
          endsAt: new Date(startsAt.getTime() + step * 60_000),
        });
      }
    }
    return out;
  }

  /** `GET /inquiries/visit-slots`: bookable slots with the places left. */
  async list(region: number, from?: string, now = new Date()): Promise<VisitSlotDto[]> {
    if (region < 1 || region > 3) throw InquiriesErrors.VISIT_SLOT_INVALID();
    const today = tehranDateOf(now);
    let start = from ? parseDay(from) : addDaysIso(today, 1);
    if (start < today) start = today;
    if (start > addDaysIso(today, 90)) throw InquiriesErrors.VISIT_SLOT_INVALID();
    const times = (await this.slotTimes(region, start, this.config.inquiries.visitDays)).filter(
      (s) => s.startsAt.getTime() > now.getTime() + MIN_NOTICE_MS,
    );
    if (!times.length) return [];
    const rows = await run(this.em, this.slots.bookings(region, times[0].startsAt, times[times.length - 1].startsAt));
    const booked = new Map(rows.map((r) => [r.id, r]));
    const capacity = this.config.inquiries.visitCapacity;
    return times
      .map((s) => {
        const row = booked.get(s.id);
        const cap = row ? row.capacity : capacity;
        return {
          slotId: s.id,
          region,
          startsAt: s.startsAt.toISOString(),
          endsAt: s.endsAt.toISOString(),
          startsAtJalali: formatJalali(s.startsAt, { time: true }),
          capacity: cap,
          remaining: Math.max(0, cap - (row ? row.booked : 0)),
        };
      })
      .filter((s) => s.remaining > 0);
  }

  /** A slot id checked against the calendar: a real, future slot of that region. */
  async resolve(slotId: string, now = new Date()): Promise<SlotTime> {
    const m = SLOT_ID.exec(slotId);
    if (!m) throw InquiriesErrors.VISIT_SLOT_INVALID();
    const date = `${m[2]}-${m[3]}-${m[4]}`;
    const slot = (await this.slotTimes(Number(m[1]), date, 1).catch(() => [])).find((s) => s.id === slotId);
    if (!slot || slot.startsAt.getTime() <= now.getTime() + MIN_NOTICE_MS || tehranDateOf(slot.startsAt) !== date) {
      throw InquiriesErrors.VISIT_SLOT_INVALID();
    }
    return slot;
  }

  /**
   * `POST /inquiries/{id}/visit`: books (or moves) the notary inquiry's site visit, in two round
   * trips: lock and read the page, then one statement whose first part takes the place (the
   * conditional upsert) and whose other parts — releasing the old place, moving the inquiry,
   * the audit entry — happen only when it did, with the commit. Answers `render` of the page
   * after the booking.
   */
  async book(actor: Actor, id: string, slotId: string, render: (page: InquiryPage) => InquiryDto): Promise<InquiryDto> {
    if (actor.type !== 'citizen' || !actor.id) throw CommonErrors.FORBIDDEN();
    const slot = await this.resolve(slotId);
    return readDecideWrite(this.em, this.workflow.page(id), ([view, kinds, history]) => {
      const page: InquiryPage = { view, kinds, history };
      const inquiry = view;
      if (inquiry.citizenId !== actor.id) throw CommonErrors.NOT_FOUND();
      if (inquiry.type !== InquiryType.Notary) throw InquiriesErrors.VISIT_NOT_APPLICABLE();
      if (!EDITABLE_STATUSES.includes(inquiry.status)) throw InquiriesErrors.INQUIRY_STATUS_CONFLICT({ extensions: { status: inquiry.status } });
      if (!inquiry.confirmedAt) throw InquiriesErrors.INQUIRY_NOT_CONFIRMED();
      if (slot.region !== inquiry.region) throw InquiriesErrors.VISIT_SLOT_INVALID();
      if (inquiry.visitSlotId === slot.id) return { writes: [], result: () => render(page) };
      const previous = inquiry.visitSlotId ?? null;
      const won = cte(this.slots.take(slot, this.config.inquiries.visitCapacity));
      const parts = [won];
      if (previous) parts.push(cte(this.slots.release(previous, won)));
      parts.push(
        cte(this.workflow.update(inquiry, { visitSlotId: slot.id, visitStartsAt: slot.startsAt }, won)),
        cte(this.workflow.event(inquiry, 'inquiry.visit_booked', { slotId: slot.id, previous }, won)),
      );
      return {
        writes: [withCtes(parts, this.slots.takenIn(won))],
        result: ([booked]) => {
          if (booked === null) throw InquiriesErrors.VISIT_SLOT_FULL();
          return render(page);
        },
      };
    });
  }

  /** Gives the inquiry's booked place back (cancellation, rejection): the queries to run in the caller's transaction (none without a booking). */
  release(inquiry: InquiryRow): Query<void>[] {
    if (!inquiry.visitSlotId) return [];
    return [this.slots.release(inquiry.visitSlotId), this.workflow.update(inquiry, { visitSlotId: null, visitStartsAt: null })];
  }
}
