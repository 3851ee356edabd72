import { cte, run, withCtes } from '../../src/database/sql';
import { VisitSlotRepository } from '../../src/modules/inquiries/visit-slot.repository';
import { createTestDb, TestDb } from '../helpers/test-app';

const slot = (id: string, startsAt: string) => ({ id, region: 1, startsAt: new Date(startsAt), endsAt: new Date(new Date(startsAt).getTime() + 3600_000) });
const S1 = slot('1-20261201-0800', '2026-12-01T04:30:00Z');
const S2 = slot('1-20261201-0900', '2026-12-01T05:30:00Z');

describe('VisitSlotRepository (real database)', () => {
  let db: TestDb;
  const repo = new VisitSlotRepository();
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(() => db?.close());

  it('takes places up to the capacity, then answers null', async () => {
    expect(await run(db.em(), repo.take(S1, 2))).toBe(1);
    expect(await run(db.em(), repo.take(S1, 2))).toBe(2);
    expect(await run(db.em(), repo.take(S1, 2))).toBeNull();
    expect(await run(db.em(), repo.bookings(1, S1.startsAt, S2.startsAt))).toEqual([{ id: S1.id, capacity: 2, booked: 2 }]);
    expect(await run(db.em(), repo.bookings(2, S1.startsAt, S2.startsAt))).toEqual([]);
  });

  it('moves a booking in one statement only when the new place was won', async () => {
    // S1 is full: taking it fails, so S2's place is not given back
    await run(db.em(), repo.take(S2, 1));
    const full = cte(repo.take(S1, 2));
    expect(await run(db.em(), withCtes([full, cte(repo.release(S2.id, full))], repo.takenIn(full)))).toBeNull();
    expect((await run(db.em(), repo.bookings(1, S1.startsAt, S2.startsAt))).find((b) => b.id === S2.id)?.booked).toBe(1);
    // a free place: taken, and the old one released
    await run(db.em(), repo.release(S1.id));
    const won = cte(repo.take(S1, 2));
    expect(await run(db.em(), withCtes([won, cte(repo.release(S2.id, won))], repo.takenIn(won)))).toBe(2);
    expect(await run(db.em(), repo.bookings(1, S1.startsAt, S2.startsAt))).toEqual(
      expect.arrayContaining([
        { id: S1.id, capacity: 2, booked: 2 },
        { id: S2.id, capacity: 1, booked: 0 },
      ]),
    );
    // never below zero
    await run(db.em(), repo.release(S2.id));
    expect((await db.sql<{ booked: number }>(`select booked from visit_slot where id = $1`, [S2.id]))[0].booked).toBe(0);
  });
});
