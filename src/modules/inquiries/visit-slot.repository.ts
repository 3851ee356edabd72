import { Injectable } from '@nestjs/common';
import { type Cte, query, type Query, statement } from '../../database/sql';

/** A slot's bookings as stored (rows appear with the first booking). */
export interface SlotBookings {
  id: string;
  capacity: number;
  booked: number;
}

/** Every statement on `visit_slot`. */
@Injectable()
export class VisitSlotRepository {
  /** The stored bookings of a region's slots starting in [from, to]. */
  bookings(region: number, from: Date, to: Date): Query<SlotBookings[]> {
    return query(`select id, capacity, booked from visit_slot where region = ? and starts_at >= ? and starts_at <= ?`, [region, from, to], (rows) =>
      rows.map((r) => ({ id: String(r.id), capacity: Number(r.capacity), booked: Number(r.booked) })),
    );
  }

  /**
   * Takes a place: creates the slot with one booking or adds one while places are left.
   * Answers the bookings after it, or null when the slot was full (as a CTE: no row).
   */
  take(slot: { id: string; region: number; startsAt: Date; endsAt: Date }, capacity: number): Query<number | null> {
    return query(
      `insert into visit_slot (id, region, starts_at, ends_at, capacity, booked) values (?, ?, ?, ?, ?, 1)
       on conflict (id) do update set booked = visit_slot.booked + 1 where visit_slot.booked < visit_slot.capacity
       returning booked`,
      [slot.id, slot.region, slot.startsAt, slot.endsAt, capacity],
      ([r]) => (r ? Number(r.booked) : null),
    );
  }

  /** What `take`, sent as the CTE `taken`, answered: the bookings after it, or null when the slot was full. */
  takenIn(taken: Cte): Query<number | null> {
    return query(`select booked from ${taken.name}`, [], ([r]) => (r ? Number(r.booked) : null));
  }

  /** Gives a place back (never below zero); with `when`, only when that CTE of the caller's statement has a row. */
  release(slotId: string, when?: Cte): Query<void> {
    return statement(`update visit_slot set booked = booked - 1 where id = ? and booked > 0${when ? ` and exists (select from ${when.name})` : ''}`, [slotId]);
  }
}
