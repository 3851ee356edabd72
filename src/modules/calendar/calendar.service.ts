import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { formatJalali, isoDay, parseTypedDay } from '@app/iran';
import { APP_CONFIG } from '../../config/config.module';
import type { ResolvedConfig } from '../../config/app-config';
import { AuditService } from '../audit/audit.service';
import { CalendarErrors } from './calendar.errors';
import {
  addWorkingDays,
  addWorkingHours,
  buildYearDays,
  CalendarDay as DomainDay,
  createDayLookup,
  DayLookup,
  iranOfficialHolidays,
  isoToJalali,
  parseHhMm,
  parseWeekTemplate,
  tehranDateOf,
  addDaysIso,
  weekdayOf,
  WeekTemplate,
  workingHoursBetween,
} from './domain';
import { CalendarDayDto, UpdateCalendarDayDto } from './dto/calendar.dto';
import { CalendarDay, DayKindEnum } from './entities/calendar-day.entity';
import { run } from '../../database/sql';
import { CalendarRepository } from './calendar.repository';

const WEEKDAYS_FA = ['یکشنبه', 'دوشنبه', 'سه‌شنبه', 'چهارشنبه', 'پنجشنبه', 'جمعه', 'شنبه'];
/** Days loaded around an instant for SLA arithmetic; beyond it the week template applies. */
const LOOKAHEAD_DAYS = 120;

/**
 * The municipality's working calendar (one row per Tehran day) and the SLA clock on it:
 * "due after N working days/hours from instant T".
 */
@Injectable()
export class CalendarService {
  readonly week: WeekTemplate;

  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
    // stateless: a default keeps `new CalendarService(em, audit, config)` (unit specs) working
    private readonly repo: CalendarRepository = new CalendarRepository(),
  ) {
    this.week = parseWeekTemplate(config.calendar.week);
  }

  /** Writes the generated days of a Jalali year, keeping days an admin edited. */
  async generateYear(jalaliYear: number, em: EntityManager = this.em): Promise<{ days: number; written: number }> {
    if (!Number.isInteger(jalaliYear) || jalaliYear < 1390 || jalaliYear > 1450) {
      throw CalendarErrors.CALENDAR_YEAR_OUT_OF_RANGE();
    }
    const days = buildYearDays(jalaliYear, this.week, iranOfficialHolidays(jalaliYear), {
      halfDayClosesAt: this.config.calendar.halfDayClosesAt,
    });
    let written = 0;
    for (let i = 0; i < days.length; i += 100) {
      written += await run(em, this.repo.upsertGeneratedDays(days.slice(i, i + 100)));
    }
    return { days: days.length, written };
  }

  /** Makes sure the current and next Jalali years exist (start-up step; cheap when they do). */
  async ensureCurrentYears(now = new Date(), em: EntityManager = this.em): Promise<number[]> {
    const current = Number(isoToJalali(tehranDateOf(now)).slice(0, 4));
    const generated: number[] = [];
    for (const year of [current, current + 1]) {
      const count = await em.count(CalendarDay, { jalali: { $like: `${year}/%` } });
      if (count < 365) {
        await this.generateYear(year, em);
        generated.push(year);
      }
    }
    return generated;
  }

  async listDays(fromInput: string, toInput: string): Promise<CalendarDayDto[]> {
    const from = parseDay(fromInput);
    const to = parseDay(toInput);
    const span = (Date.parse(to) - Date.parse(from)) / 86_400_000;
    if (span < 0 || span > 400) throw CalendarErrors.CALENDAR_RANGE_TOO_LONG();
    const rows = await this.em.find(CalendarDay, { date: { $gte: from, $lte: to } }, { orderBy: { date: 'asc' } });
    const stored = new Map(rows.map((r) => [r.date, r]));
    const out: CalendarDayDto[] = [];
    for (let d = from; d <= to; d = addDaysIso(d, 1)) {
      const row = stored.get(d);
      out.push(row ? toDto(row) : { ...toDto(this.templateRow(d)), source: 'generated' });
    }
    return out;
  }

  async updateDay(dayInput: string, dto: UpdateCalendarDayDto): Promise<CalendarDayDto> {
    const date = parseDay(dayInput);
    const holiday = dto.kind === DayKindEnum.Holiday;
    if (holiday && (dto.opensAt || dto.closesAt)) throw CalendarErrors.CALENDAR_HOURS_INVALID();
    if (!holiday && parseHhMm(dto.opensAt!) >= parseHhMm(dto.closesAt!)) throw CalendarErrors.CALENDAR_HOURS_INVALID();
    return this.em.transactional(async (em) => {
      const day = await em.findOne(CalendarDay, { date }, { lockMode: undefined });
      if (!day) throw CalendarErrors.CALENDAR_DAY_NOT_FOUND();
      const before = toDto(day);
      day.kind = dto.kind;
      day.opensAt = holiday ? null : dto.opensAt!;
      day.closesAt = holiday ? null : dto.closesAt!;
      day.title = dto.title ?? null;
      day.source = 'admin';
      await run(em, this.audit.record({
        action: 'calendar.day.updated',
        target: { type: 'calendar_day', id: date },
        before,
        after: toDto(day),
      }));
      return toDto(day);
    });
  }

  /** A synchronous day lookup covering [from - 1 day, from + LOOKAHEAD_DAYS]. */
  async lookupFrom(from: Date, days = LOOKAHEAD_DAYS): Promise<DayLookup> {
    const start = addDaysIso(tehranDateOf(from), -1);
    const end = addDaysIso(start, days);
    const rows = await this.em.find(CalendarDay, { date: { $gte: start, $lte: end } });
    return createDayLookup(rows.map(toDomain), this.week);
  }

  /** When a review submitted at `start` is due (SLA_REVIEW_WORKING_DAYS working days). */
  async reviewDueAt(start: Date): Promise<Date> {
    return this.dueAfterWorkingDays(start, this.config.calendar.reviewWorkingDays);
  }

  async dueAfterWorkingDays(start: Date, days: number): Promise<Date> {
    return addWorkingDays(start, days, await this.lookupFrom(start, LOOKAHEAD_DAYS + days * 7));
  }

  async dueAfterWorkingHours(start: Date, hours: number): Promise<Date> {
    return addWorkingHours(start, hours, await this.lookupFrom(start, LOOKAHEAD_DAYS + Math.ceil(hours)));
  }

  async workingHoursBetween(a: Date, b: Date): Promise<number> {
    const [lo, hi] = a <= b ? [a, b] : [b, a];
    const span = Math.ceil((hi.getTime() - lo.getTime()) / 86_400_000) + 2;
    return workingHoursBetween(a, b, await this.lookupFrom(lo, span));
  }

  formatJalali(instant: Date): string {
    return formatJalali(instant, { time: true });
  }

  private templateRow(date: string): CalendarDay {
    const lookup = createDayLookup([], this.week);
    const d = lookup(date);
    return Object.assign(new CalendarDay(), {
      date,
      jalali: d.jalali,
      kind: d.kind as DayKindEnum,
      opensAt: d.opensAt,
      closesAt: d.closesAt,
      title: d.title ?? null,
      source: 'generated' as const,
    });
  }
}

/**
 * A day typed by a person, under the one date policy (`parseTypedDay`: Jalali `1404/01/12`,
 * `1404-1-12`, Persian digits, or Gregorian `2025-04-01`) → ISO date; CALENDAR_DATE_INVALID
 * (naming both forms) otherwise. The query DTOs convert with `@IsCalendarDay()` already; the
 * admin's `PUT admin/calendar/days/{date}` path parameter comes here as typed.
 */
export function parseDay(input: string): string {
  const day = parseTypedDay(input);
  if (!day) throw CalendarErrors.CALENDAR_DATE_INVALID();
  return isoDay(day);
}

function toDomain(row: CalendarDay): DomainDay {
  return {
    date: row.date,
    jalali: row.jalali,
    kind: row.kind,
    opensAt: row.opensAt ?? null,
    closesAt: row.closesAt ?? null,
    title: row.title ?? null,
  };
}

function toDto(row: CalendarDay): CalendarDayDto {
  return {
    date: row.date,
    jalali: row.jalali,
    weekday: WEEKDAYS_FA[weekdayOf(row.date)],
    kind: row.kind,
    opensAt: row.opensAt ?? null,
    closesAt: row.closesAt ?? null,
    title: row.title ?? null,
    source: row.source,
  };
}
