import { Injectable } from '@nestjs/common';
import { firstRow, query, type Query } from '../../database/sql';

/** A member as the records about them name them (an inquiry's applicant, the SMS about it). */
export interface CitizenMember {
  id: string;
  mobile: string;
  nationalId: string;
  firstName: string;
  lastName: string;
  /** A deactivated member is still named on the records made while active. */
  active: boolean;
}

/** The statements on `citizen` that other modules' transactions run (the account's own writes go through its entity). */
@Injectable()
export class CitizenRepository {
  /** The member with this id, deactivated or not. */
  member(id: string): Query<CitizenMember | undefined> {
    return query(
      `select id, mobile, national_id, first_name, last_name, active from citizen where id = ?`,
      [id],
      firstRow((r) => ({
        id: String(r.id),
        mobile: String(r.mobile),
        nationalId: String(r.national_id),
        firstName: String(r.first_name),
        lastName: String(r.last_name),
        active: Boolean(r.active),
      })),
    );
  }
}
