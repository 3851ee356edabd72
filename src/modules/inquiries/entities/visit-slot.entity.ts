import { Check, Entity, Index, PrimaryKey, Property as Column } from '@mikro-orm/core';

/**
 * Bookings of one site-visit slot of one region. Rows appear with the first booking; the
 * bookable slots themselves come from the working calendar. `booked <= capacity` is kept by
 * a conditional upsert (and a check constraint). The table's definition (schema,
 * migrations); its rows are read and written only by `VisitSlotRepository`.
 */
@Entity({ tableName: 'visit_slot' })
@Check({ name: 'visit_slot_capacity_check', expression: 'booked >= 0 and booked <= capacity' })
@Index({ name: 'visit_slot_region_start_idx', properties: ['region', 'startsAt'] })
export class VisitSlot {
  /** `<region>-<yyyymmdd>-<hhmm>` in Tehran time, e.g. `1-20261128-0800`. */
  @PrimaryKey({ type: 'text' })
  id: string;

  @Column({ type: 'smallint' })
  region: number;

  @Column({ type: 'datetime', columnType: 'timestamptz' })
  startsAt: Date;

  @Column({ type: 'datetime', columnType: 'timestamptz' })
  endsAt: Date;

  @Column({ type: 'integer' })
  capacity: number;

  @Column({ type: 'integer' })
  booked: number = 0;
}
