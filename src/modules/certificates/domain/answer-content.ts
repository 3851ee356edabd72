/**
 * The canonical content of an answer letter (پاسخ استعلام): what is signed, stored and
 * rendered. Plain JSON (strings, integers, booleans), so its canonical form is stable.
 * Money in integer Rials; instants as ISO strings, with Jalali copies for people.
 */
export interface AnswerContent {
  kind: 'inquiry_answer';
  version: 1;
  number: string;
  inquiryType: 'office' | 'notary';
  trackingCode: string;
  issuedAt: string;
  issuedAtJalali: string;
  validUntil: string;
  validUntilJalali: string;
  addressee:
    | { kind: 'office'; organizationKind: string; name: string; letterNumber: string; letterDate: string }
    | { kind: 'notary'; notaryOfficeNumber: string };
  applicant: { fullName: string; nationalIdMasked: string; role: 'owner' | 'attorney' };
  property: {
    renewalCode: string;
    region: number;
    address: string | null;
    landAreaM2: number | null;
    buildingAreaM2: number | null;
    use: string | null;
    floors: number | null;
    units: number | null;
  };
  owners: Array<{ fullName: string; nationalIdMasked: string; sharePercent: number }>;
  finances: {
    settled: true;
    /** مفاصاحساب: the bills paid to settle the file for this inquiry (may be empty when nothing was due). */
    paidBills: Array<{ billId: string; paymentId: string; amountRials: number; paidAtJalali: string }>;
    paidTotalRials: number;
  };
  zoning: { zoneCode: string; zoneName: string; planName: string } | null;
  streetWidening: { affected: boolean; affectedAreaM2: number; sharePercent: number; plans: string[] } | null;
  visit: { atJalali: string; findings: string; matchesRecords: boolean } | null;
  /** `approverTitle`: the approver's real title (a region manager: «مدیر منطقه N»; an admin: their own); absent on letters issued before it existed. */
  issuer: { region: number; regionName: string; preparedBy: string; approvedBy: string; approverTitle?: string };
  note: string | null;
}

/** The title printed under the approver's name: the one the letter carries, else (older letters) the region's manager. */
export function approverTitle(issuer: AnswerContent['issuer']): string {
  return issuer.approverTitle ?? `مدیر ${issuer.regionName}`;
}
