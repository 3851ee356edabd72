import { InquiryStatus, InquiryType } from '../../src/modules/inquiries/domain/inquiry-status';
import { ApplicantRole } from '../../src/modules/inquiries/entities/inquiry.entity';
import type { InquiryRow } from '../../src/modules/inquiries/inquiry.repository';
import type { TestDb } from '../helpers/test-app';

export const CITIZEN = '00000000-0000-7000-8000-00000000c001';
export const PROPERTY = '00000000-0000-7000-8000-00000000b001';

/** The citizen and the property an inquiry row refers to. */
export async function arrangeOwners(db: TestDb): Promise<void> {
  await db.sql(
    `insert into citizen (id, mobile, national_id, first_name, last_name, father_name, birth_date_jalali, birth_date, created_at, updated_at)
     values ($1, '09120000001', '0012345679', 'علی', 'آزمون', 'رضا', '1360/01/01', '1981-03-21', now(), now())`,
    [CITIZEN],
  );
  await db.sql(
    `insert into property (id, renewal_code, region, district, block, parcel, address, land_area, use, created_at, updated_at)
     values ($1, '1-1-1-1-0-0-0', 1, 1, 1, 1, 'قزوین، خیابان آزمون', 200, 'residential', now(), now())`,
    [PROPERTY],
  );
}

/** A draft row with every member set. */
export function draftRow(id: string, overrides: Partial<InquiryRow> = {}): InquiryRow {
  const at = new Date('2026-11-01T08:00:00Z');
  return {
    id,
    citizenId: CITIZEN,
    propertyId: PROPERTY,
    type: InquiryType.Office,
    status: InquiryStatus.Draft,
    renewalCode: '1-1-1-1-0-0-0',
    region: 1,
    applicantRole: ApplicantRole.Owner,
    principalNationalId: null,
    undertakingsVersion: 'office-1404-01',
    undertakingsAcceptedAt: at,
    organization: { kind: 'bank', name: 'بانک آزمون', letterNumber: '12/345', letterDate: '1404/08/10' },
    notaryOfficeNumber: null,
    snapshot: { property: { region: 1 }, owners: [], certificates: [], debts: null },
    confirmedAt: null,
    trackingCode: null,
    submittedAt: null,
    reviewDueAt: null,
    visitSlotId: null,
    visitStartsAt: null,
    statusChangedAt: at,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}
