import { Injectable } from '@nestjs/common';
import { statement, type Query } from '../../database/sql';

/** The statements on `region` beyond its entity (admins edit a region through the entity). */
@Injectable()
export class RegionRepository {
  /**
   * Regions 1-3 with their service-desk phones as the municipality's guides print them and
   * `deskHours`; existing rows are left alone.
   */
  ensureDefaults(deskHours: string): Query<void> {
    return statement(
      `insert into region (id, name, desk_phones, desk_hours, active, updated_at) values
         (1, 'منطقه یک', '{02823328888,0283338888}', ?, true, now()),
         (2, 'منطقه دو', '{02823322222,0283332222}', ?, true, now()),
         (3, 'منطقه سه', '{028233651989,0283331989}', ?, true, now())
       on conflict (id) do nothing`,
      [deskHours, deskHours, deskHours],
    );
  }
}
