import { Entity, Enum, Index, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { BaseEntity } from '../../../database/base.entity';
import { Organization } from '../../membership/entities/organization.entity';

export enum OrgInquiryRequestStatus {
  /** SMS sent; waiting for the citizen to consent as a member. */
  AwaitingConsent = 'awaiting_consent',
  /** The citizen consented: `inquiryId` is their inquiry addressed to the organization. */
  Consented = 'consented',
  Declined = 'declined',
  Expired = 'expired',
}

/**
 * An organization's request for an inquiry about a named citizen's property. The citizen
 * consents and completes the inquiry as a member; the inquiry is then addressed to the
 * organization (the link lives here, so the inquiries table stays the inquiries module's).
 */
@Entity({ tableName: 'org_inquiry_request' })
@Index({ name: 'org_inquiry_request_org_idx', properties: ['organization', 'createdAt'] })
@Index({ name: 'org_inquiry_request_mobile_idx', properties: ['mobile', 'status'] })
export class OrgInquiryRequest extends BaseEntity<'status'> {
  @ManyToOne(() => Organization, { deleteRule: 'restrict' })
  organization: Rel<Organization>;

  @Property({ type: 'uuid', nullable: true, unique: 'org_inquiry_request_inquiry_unique' })
  inquiryId?: string | null;

  @Enum({ items: () => OrgInquiryRequestStatus })
  status: OrgInquiryRequestStatus = OrgInquiryRequestStatus.AwaitingConsent;

  @Property({ type: 'text' })
  nationalId: string;

  @Property({ type: 'text' })
  mobile: string;

  @Property({ type: 'text' })
  renewalCode: string;

  @Property({ type: 'smallint' })
  region: number;

  @Property({ type: 'text' })
  letterNumber: string;

  /** Jalali `YYYY/MM/DD`. */
  @Property({ type: 'text' })
  letterDate: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  expiresAt: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  consentedAt?: Date | null;
}
