import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';

export enum DayKindEnum {
  Work = 'work',
  Half = 'half',
  Holiday = 'holiday',
}

/**
 * One day of the municipality's working calendar (Tehran calendar day). Generated for the
 * current and next Jalali year from the week template and the official holidays; admins
 * edit days (lunar holidays are announced late). `source = 'admin'` rows are never
 * overwritten by regeneration.
 */
@Entity({ tableName: 'calendar_day' })
@Index({ name: 'calendar_day_jalali_idx', properties: ['jalali'] })
export class CalendarDay {
  /** Gregorian date of the Tehran calendar day, `YYYY-MM-DD`. */
  @PrimaryKey({ type: 'date', columnType: 'date' })
  date: string;

  /** Jalali date `YYYY/MM/DD`. */
  @Property({ type: 'text' })
  jalali: string;

  @Enum({ items: () => DayKindEnum })
  kind: DayKindEnum;

  /** Opening time `HH:mm` (Asia/Tehran), null on holidays. */
  @Property({ type: 'text', nullable: true })
  opensAt?: string | null;

  @Property({ type: 'text', nullable: true })
  closesAt?: string | null;

  @Property({ type: 'text', nullable: true })
  title?: string | null;

  @Property({ type: 'text' })
  source: 'generated' | 'admin' = 'generated';

  @Property({ type: 'datetime', columnType: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
