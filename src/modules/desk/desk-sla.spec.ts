import type { EntityManager } from '@mikro-orm/postgresql';
import { loadConfig, ResolvedConfig } from '../../config/app-config';
import type { AuditService } from '../audit/audit.service';
import { CalendarService } from '../calendar/calendar.service';
import { buildYearDays, iranOfficialHolidays, parseWeekTemplate } from '../calendar/domain';
import type { CalendarDay } from '../calendar/entities/calendar-day.entity';

/**
 * The desk's review clock: the due time the desk queues and the SLA job use is
 * `CalendarService.reviewDueAt` under the default configuration (one working day,
 * Saturday–Wednesday 07:30–14:30, Thursday and Friday closed) over the generated calendar
 * with Iran's official holidays.
 */
describe('desk review SLA (one working day)', () => {
  const config = loadConfig({ NODE_ENV: 'test' }) as ResolvedConfig;
  const week = parseWeekTemplate(config.calendar.week);
  const days = [1403, 1404, 1405].flatMap((y) => buildYearDays(y, week, iranOfficialHolidays(y)));
  const em = {
    find: async (_entity: unknown, where: { date: { $gte: string; $lte: string } }) =>
      days.filter((d) => d.date >= where.date.$gte && d.date <= where.date.$lte) as unknown as CalendarDay[],
  } as unknown as EntityManager;
  const calendar = new CalendarService(em, {} as AuditService, config);
  const tehran = (isoLocal: string) => new Date(`${isoLocal}+03:30`);

  it('uses one working day of 07:30–14:30, Saturday to Wednesday', () => {
    expect(config.calendar.reviewWorkingDays).toBe(1);
    expect(config.calendar.week).toBe('sat-wed=07:30-14:30;thu=closed;fri=closed');
  });

  it('a Wednesday 14:00 submission is due Saturday 14:00', async () => {
    // Wed 2025-11-19 (1404/08/28), an ordinary week
    expect(await calendar.reviewDueAt(tehran('2025-11-19T14:00:00'))).toEqual(tehran('2025-11-22T14:00:00'));
    // late Wednesday (after closing) counts from Saturday 07:30: due Sunday 07:30
    expect(await calendar.reviewDueAt(tehran('2025-11-19T16:00:00'))).toEqual(tehran('2025-11-23T07:30:00'));
  });

  it('Nowruz pushes the due time past the holidays', async () => {
    // Tue 1403/12/28 14:00 → 1403/12/29 (oil nationalization), Thu/Fri, Nowruz 1404/01/01–04 → Tue 1404/01/05 14:00
    expect(await calendar.reviewDueAt(tehran('2025-03-18T14:00:00'))).toEqual(tehran('2025-03-25T14:00:00'));
    // Wed 1404/12/27 (2026-03-18) 14:00: Thu/Fri, 1404/12/29, Nowruz 1405/01/01–04 → the first working day after
    const due = await calendar.reviewDueAt(tehran('2026-03-18T14:00:00'));
    expect(due.getTime()).toBeGreaterThan(tehran('2026-03-24T14:00:00').getTime());
    expect(due.toISOString().slice(11, 16)).toBe('10:30'); // 14:00 Tehran
  });
});
