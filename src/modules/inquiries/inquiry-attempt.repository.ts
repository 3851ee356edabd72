import { Injectable } from '@nestjs/common';
import { query, type Query } from '../../database/sql';

/** Every statement on `inquiry_attempt` (wrong answers to the knowledge check, per member, property and Tehran day). */
@Injectable()
export class InquiryAttemptRepository {
  /** A member's wrong answers of one Tehran day, per property id (a member has a handful at most). */
  ofDay(citizenId: string, day: string): Query<Map<string, number>> {
    return query(
      `select property_id, failures from inquiry_attempt where citizen_id = ? and day = ?`,
      [citizenId, day],
      (rows) => new Map(rows.map((r) => [String(r.property_id), Number(r.failures)])),
    );
  }

  /** Counts one more wrong answer; the day's count after it. */
  fail(citizenId: string, propertyId: string, day: string): Query<number> {
    return query(
      `insert into inquiry_attempt (citizen_id, property_id, day, failures) values (?, ?, ?, 1)
       on conflict (citizen_id, property_id, day) do update set failures = inquiry_attempt.failures + 1
       returning failures`,
      [citizenId, propertyId, day],
      ([r]) => Number(r.failures),
    );
  }
}
