import { Injectable } from '@nestjs/common';
import { jsonValue } from '../../database/json-value';
import { query, type Query } from '../../database/sql';

/** The inquiry fees of a year's newest tariff. */
export interface InquiryFees {
  tariffId: string;
  officeRials: number | null;
  notaryRials: number | null;
}

/** The statements on `billing_tariff` and `billing_regional_value` (versions are kept through the `Tariff` entity). */
@Injectable()
export class TariffsRepository {
  /** The inquiry fees of the year's newest tariff version (undefined: the year has no tariff). */
  latestInquiryFees(jalaliYear: number): Query<InquiryFees | undefined> {
    return query(`select id, inquiry from billing_tariff where jalali_year = ? order by version desc limit 1`, [jalaliYear], (rows) => {
      if (!rows[0]) return undefined;
      const fees = jsonValue<{ officeRials?: number; notaryRials?: number } | null>(rows[0].inquiry);
      return { tariffId: String(rows[0].id), officeRials: fees?.officeRials ?? null, notaryRials: fees?.notaryRials ?? null };
    });
  }
}
