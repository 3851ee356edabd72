import { Injectable } from '@nestjs/common';
import { query, type Query, type Row } from '../../database/sql';
import { StaffRole } from './entities/staff-user.entity';
export { StaffRole };

/** What other modules read of `staff_user` (membership owns it), as queries run in their transactions. */
@Injectable()
export class StaffReadModel {
  /** The mobile numbers of the active staff holding `role` in `region` (those without a number left out). */
  mobilesWithRole(role: StaffRole, region: number): Query<string[]> {
    return query(
      `select mobile from staff_user where active and mobile is not null and ?::text = any(roles) and ?::int = any(regions)`,
      [role, region],
      (rows: Row[]) => rows.map((r) => String(r.mobile)),
    );
  }
}
