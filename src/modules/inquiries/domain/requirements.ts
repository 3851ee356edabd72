import { DocumentKind } from '../entities/inquiry-document.entity';
import { ApplicantRole } from '../entities/inquiry.entity';
import { InquiryType } from './inquiry-status';

/** Certificate kinds that make a property eligible for an electronic inquiry. */
export const ELIGIBLE_CERTIFICATE_KINDS = ['apartment_completion', 'transfer', 'inquiry'] as const;

/** Documents an inquiry may carry, and which of them must be present before submission. */
export function documentRequirements(type: InquiryType, role: ApplicantRole): Array<{ kind: DocumentKind; required: boolean }> {
  return [
    { kind: DocumentKind.Deed, required: true },
    { kind: DocumentKind.NationalCard, required: true },
    ...(type === InquiryType.Office ? [{ kind: DocumentKind.OfficeLetter, required: true }] : []),
    { kind: DocumentKind.BirthCertificate, required: false },
    ...(role === ApplicantRole.Attorney ? [{ kind: DocumentKind.PowerOfAttorney, required: true }] : []),
  ];
}
