import { Injectable } from '@nestjs/common';
import { query, type Query } from '../../database/sql';
import type { CalendarDay } from './domain';

/** Every statement on `calendar_day` that is not a plain entity read. */
@Injectable()
export class CalendarRepository {
  /**
   * Writes generated days (one statement per call; the caller chunks): new days are
   * inserted, generated ones refreshed, days an admin edited (`source <> 'generated'`) kept.
   * Answers how many rows were written.
   */
  upsertGeneratedDays(days: readonly CalendarDay[]): Query<number> {
    const values = days.map(() => `(?, ?, ?, ?, ?, ?, 'generated', now())`).join(', ');
    return query(
      `insert into calendar_day (date, jalali, kind, opens_at, closes_at, title, source, updated_at)
       values ${values}
       on conflict (date) do update set jalali = excluded.jalali, kind = excluded.kind, opens_at = excluded.opens_at,
         closes_at = excluded.closes_at, title = excluded.title, updated_at = now()
       where calendar_day.source = 'generated'
       returning 1`,
      days.flatMap((d) => [d.date, d.jalali, d.kind, d.opensAt, d.closesAt, d.title ?? null]),
      (rows) => rows.length,
    );
  }
}
