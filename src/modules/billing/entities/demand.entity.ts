import { Entity, Enum, Index, Property, Unique } from '@mikro-orm/core';
import { BaseEntity } from '../../../database/base.entity';

export enum FeeTypeEnum {
  Renewal = 'renewal',
  Waste = 'waste',
  Guild = 'guild',
  /** An electronic inquiry's fee (subject: the inquiry), added by the desk's assessment. */
  Inquiry = 'inquiry',
}

export enum DemandStatus {
  Open = 'open',
  Paid = 'paid',
  WrittenOff = 'written_off',
}

/**
 * What a subject (a property, for renewal and waste; a guild licence, for the guild fee)
 * owes for one fee type and Jalali year. `snapshot` freezes the inputs, rates and the
 * tariff version it was computed with, so later tariff edits never change it.
 */
@Entity({ tableName: 'billing_demand' })
@Unique({ name: 'billing_demand_subject_fee_year_unique', properties: ['subjectId', 'feeType', 'jalaliYear'] })
@Index({ name: 'billing_demand_property_idx', properties: ['propertyId', 'status'] })
@Index({ name: 'billing_demand_paid_bill_idx', properties: ['paidBillId'] })
export class Demand extends BaseEntity {
  @Enum({ items: () => FeeTypeEnum })
  feeType: FeeTypeEnum;

  /** The property id (renewal, waste) or the guild licence id (guild). */
  @Property({ type: 'uuid' })
  subjectId: string;

  /** Renewal code or guild code of the subject (copied for reads without joins). */
  @Property({ type: 'text' })
  subjectCode: string;

  /** The property the subject is (or occupies): a property's file covers both. */
  @Property({ type: 'uuid' })
  propertyId: string;

  @Property({ type: 'smallint' })
  region: number;

  @Property({ type: 'integer' })
  jalaliYear: number;

  /** Current principal in Rials (after amendments). */
  @Property({ type: 'bigint', columnType: 'bigint' })
  amountRials: string;

  /** Principal as assessed. */
  @Property({ type: 'bigint', columnType: 'bigint' })
  assessedRials: string;

  @Enum({ items: () => DemandStatus })
  status: DemandStatus = DemandStatus.Open;

  @Property({ type: 'uuid' })
  tariffId: string;

  @Property({ type: 'json' })
  snapshot: Record<string, unknown>;

  @Property({ type: 'bigint', columnType: 'bigint', nullable: true })
  paidBillId?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  paidAt?: Date | null;
}
