import { Entity, Property, Unique } from '@mikro-orm/core';
import { BaseEntity } from '../../../database/base.entity';
import type { DiscountRule, GuildTariff, InquiryFeeTariff, PenaltyRule, RenewalTariff, WasteTariff } from '../domain/tariff';

/**
 * One version of the tariffs of a Jalali year. Rows are never changed: an edit adds the
 * next version, and the newest version of a year is the one assessments use. Demands keep
 * the id of the version they were computed with, plus a copy of what they used.
 */
@Entity({ tableName: 'billing_tariff' })
@Unique({ name: 'billing_tariff_year_version_unique', properties: ['jalaliYear', 'version'] })
export class Tariff extends BaseEntity {
  @Property({ type: 'integer' })
  jalaliYear: number;

  @Property({ type: 'integer' })
  version: number;

  @Property({ type: 'json' })
  renewal: RenewalTariff;

  @Property({ type: 'json' })
  waste: WasteTariff;

  @Property({ type: 'json' })
  guild: GuildTariff;

  @Property({ type: 'json' })
  penalty: PenaltyRule;

  @Property({ type: 'json' })
  discount: DiscountRule;

  /** Why this version was made (e.g. "council resolution 123"), or "default". */
  /** Inquiry fees (null: none charged). */
  @Property({ type: 'json', nullable: true })
  inquiry?: InquiryFeeTariff | null;

  @Property({ type: 'text' })
  note: string;
}
