import { run } from '../../src/database/sql';
import { CalendarRepository } from '../../src/modules/calendar/calendar.repository';
import type { CalendarDay } from '../../src/modules/calendar/domain';
import { createTestDb, TestDb } from '../helpers/test-app';

describe('CalendarRepository (real database)', () => {
  let db: TestDb;
  const repo = new CalendarRepository();
  // a far year, so whatever the application generated at start-up is not in the way
  const day = (date: string, jalali: string, over: Partial<CalendarDay> = {}): CalendarDay => ({
    date,
    jalali,
    kind: 'work',
    opensAt: '07:30',
    closesAt: '14:30',
    title: null,
    ...over,
  });
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(() => db?.close());

  it('inserts generated days, refreshes generated ones, keeps days an admin edited, and counts what it wrote', async () => {
    const days = [day('2061-03-21', '1440/01/01'), day('2061-03-22', '1440/01/02'), day('2061-03-23', '1440/01/03')];
    expect(await run(db.em(), repo.upsertGeneratedDays(days))).toBe(3);
    await db.sql(`update calendar_day set source = 'admin', kind = 'holiday', title = 'تعطیل اداری' where date = '2061-03-22'`);

    const again = days.map((d) => ({ ...d, closesAt: '13:00' }));
    expect(await run(db.em(), repo.upsertGeneratedDays(again))).toBe(2);
    expect(await db.sql(`select date::text as date, kind, closes_at, title, source from calendar_day where date between '2061-03-21' and '2061-03-23' order by date`)).toEqual([
      { date: '2061-03-21', kind: 'work', closes_at: '13:00', title: null, source: 'generated' },
      { date: '2061-03-22', kind: 'holiday', closes_at: '14:30', title: 'تعطیل اداری', source: 'admin' },
      { date: '2061-03-23', kind: 'work', closes_at: '13:00', title: null, source: 'generated' },
    ]);
  });

  it('writes in the caller’s transaction (a rollback leaves nothing)', async () => {
    await expect(
      db.em().transactional(async (tx) => {
        await run(tx, repo.upsertGeneratedDays([day('2061-04-01', '1440/01/12', { kind: 'holiday', opensAt: null, closesAt: null, title: 'x' })]));
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await db.sql(`select count(*)::int as n from calendar_day where date = '2061-04-01'`)).toEqual([{ n: 0 }]);
  });
});
