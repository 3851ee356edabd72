import { Entity, PrimaryKeyProp, PrimaryKey, Property as Column } from '@mikro-orm/core';

/**
 * Wrong "last request number" tries of one member on one property on one Tehran day. The
 * table's definition (schema, migrations); its rows are read and written only by
 * `InquiryAttemptRepository`.
 */
@Entity({ tableName: 'inquiry_attempt' })
export class InquiryAttempt {
  [PrimaryKeyProp]?: ['citizenId', 'propertyId', 'day'];

  @PrimaryKey({ type: 'uuid' })
  citizenId: string;

  @PrimaryKey({ type: 'uuid' })
  propertyId: string;

  @PrimaryKey({ type: 'date', columnType: 'date' })
  day: string;

  @Column({ type: 'integer' })
  failures: number = 0;
}
