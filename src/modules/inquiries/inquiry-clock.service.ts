import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module';
import type { ResolvedConfig } from '../../config/app-config';
import { CalendarService } from '../calendar/calendar.service';
import { addWorkingDays, DayLookup, tehranDateOf } from '../calendar/domain';

/** Days of the working calendar held in memory: visit slots (≤ 90 days ahead) and the SLA clock. */
const SPAN_DAYS = 200;
/** How long a loaded calendar is reused; an admin's edit of a day shows within this time. */
const TTL_MS = 30_000;

/**
 * The working calendar as the inquiry hot paths need it: one DayLookup (CalendarService's own
 * days and week template) loaded per TTL instead of per request, and the review due time
 * computed on it exactly as `CalendarService.reviewDueAt` does.
 */
@Injectable()
export class InquiryClock {
  private cached: { day: string; loadedAt: number; lookup: Promise<DayLookup> } | null = null;

  constructor(
    private readonly calendar: CalendarService,
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
  ) {}

  lookup(now = new Date()): Promise<DayLookup> {
    const day = tehranDateOf(now);
    const c = this.cached;
    if (c && c.day === day && Date.now() - c.loadedAt < TTL_MS) return c.lookup;
    const lookup = this.calendar.lookupFrom(now, SPAN_DAYS);
    this.cached = { day, loadedAt: Date.now(), lookup };
    lookup.catch(() => {
      if (this.cached?.lookup === lookup) this.cached = null;
    });
    return lookup;
  }

  /** When a review starting at `start` is due (SLA_REVIEW_WORKING_DAYS working days). */
  async reviewDueAt(start: Date): Promise<Date> {
    return addWorkingDays(start, this.config.calendar.reviewWorkingDays, await this.lookup(start));
  }
}
