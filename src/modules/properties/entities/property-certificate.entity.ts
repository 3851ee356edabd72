import { Entity, Enum, Index, ManyToOne, Property as Column, type Rel } from '@mikro-orm/core';
import { BaseEntity } from '../../../database/base.entity';
import { Property } from './property.entity';

export enum CertificateKind {
  ApartmentCompletion = 'apartment_completion',
  Transfer = 'transfer',
  Inquiry = 'inquiry',
  BuildingPermit = 'building_permit',
  Completion = 'completion',
  Other = 'other',
}

/**
 * A certificate the municipality issued for a property in earlier years (پایانکار
 * آپارتمانی، نقل و انتقال، استعلام، پروانه ساختمان…). Inquiry eligibility and the "last
 * request number" check read this history.
 */
@Entity({ tableName: 'property_certificate' })
@Index({ name: 'property_certificate_property_idx', properties: ['property', 'issueDate'] })
export class PropertyCertificate extends BaseEntity {
  @ManyToOne(() => Property, { deleteRule: 'cascade' })
  property: Rel<Property>;

  @Enum({ items: () => CertificateKind })
  kind: CertificateKind;

  @Column({ type: 'text', unique: 'property_certificate_request_number_unique' })
  requestNumber: string;

  @Column({ type: 'integer' })
  jalaliYear: number;

  @Column({ type: 'date', columnType: 'date' })
  issueDate: string;
}
