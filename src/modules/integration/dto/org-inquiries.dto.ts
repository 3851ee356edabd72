import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMinSize, IsBoolean, IsIn, IsInt, IsOptional, IsString, MinLength, ValidateNested } from 'class-validator';
import { Between, IsCalendarDay, IsIranMobile, IsIsoDateTime, IsNationalId, MaxChars, MaxItems, PageMeta, PageQuery } from '@app/common';
import { VerificationDto } from '../../certificates/dto/certificate.dto';

export const ORG_REQUEST_STATUSES = ['awaiting_consent', 'consented', 'declined', 'expired'] as const;
export const INQUIRY_STATUSES = ['draft', 'submitted', 'in_review', 'needs_correction', 'awaiting_payment', 'visit_scheduled', 'visited', 'answered', 'rejected', 'cancelled'] as const;

export class CreateOrgInquiryDto {
  @ApiProperty({ example: '0499370899', description: 'National ID (کد ملی) of the citizen the inquiry is about' })
  @IsNationalId()
  nationalId: string;

  @ApiProperty({ example: '09121234567', description: 'The citizen’s mobile: the consent request goes there by SMS' })
  @IsIranMobile()
  mobile: string;

  @ApiProperty({ example: '1-2-34-56-0-0-0', description: 'Renewal code (کد نوسازی) of the property' })
  @IsString()
  @MaxChars(60)
  renewalCode: string;

  @ApiProperty({ example: 1, minimum: 1, maximum: 9 })
  @Type(() => Number)
  @IsInt()
  @Between(1, 9)
  region: number;

  @ApiProperty({ example: '۱۲۳۴/ص/۱۴۰۴', description: 'Number of the organization’s letter' })
  @IsString()
  @MinLength(1)
  @MaxChars(50)
  letterNumber: string;

  @ApiProperty({ example: '1404/08/20', description: 'Date of the organization’s letter: Jalali 1404/08/20 (or 1404-08-20, Persian digits too) or Gregorian 2025-11-11; kept and printed on the answer as Jalali YYYY/MM/DD' })
  @IsCalendarDay({ as: 'jalali' })
  letterDate: string;
}

export class OrgInquiryDto {
  @ApiProperty({ example: '0193b0f4-8a5e-7c1d-9f2a-3b4c5d6e7f90', description: 'The request id; use it (or the tracking code once there is one) in GET /org/inquiries/{ref}' })
  id: string;
  @ApiProperty({ enum: ORG_REQUEST_STATUSES, example: 'consented', description: 'The citizen’s consent' }) requestStatus: string;
  @ApiProperty({ type: String, enum: INQUIRY_STATUSES, nullable: true, example: 'submitted', description: 'The inquiry’s status once the citizen consented' })
  status: string | null;
  @ApiProperty({ type: String, nullable: true, example: '104512345678', description: 'Given when the citizen submits' }) trackingCode: string | null;
  @ApiProperty({ example: '1-2-34-56-0-0-0' }) renewalCode: string;
  @ApiProperty({ example: 1 }) region: number;
  @ApiProperty({ example: '049****899', description: 'Masked national ID of the citizen' }) nationalId: string;
  @ApiProperty({ example: '۱۲۳۴/ص/۱۴۰۴' }) letterNumber: string;
  @ApiProperty({ example: '1404/08/20' }) letterDate: string;
  @ApiProperty({ example: '2026-11-25T10:00:00.000Z' }) createdAt: string;
  @ApiProperty({ example: '1405/09/04 13:30' }) createdAtJalali: string;
  @ApiProperty({ example: '2026-12-02T10:00:00.000Z', description: 'Consent must be given before this' }) consentExpiresAt: string;
  @ApiProperty({ type: String, nullable: true, example: '2026-11-25T10:05:00.000Z' }) consentedAt: string | null;
  @ApiProperty({ type: String, nullable: true, example: '2026-11-25T11:00:00.000Z' }) submittedAt: string | null;
  @ApiProperty({ type: String, nullable: true, example: '2026-11-26T11:00:00.000Z' }) reviewDueAt: string | null;
}

export class OrgInquiryListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: [...ORG_REQUEST_STATUSES, ...INQUIRY_STATUSES], description: 'A consent status (awaiting_consent, declined, expired) or an inquiry status' })
  @IsOptional()
  @IsIn([...ORG_REQUEST_STATUSES, ...INQUIRY_STATUSES])
  status?: string;

  @ApiPropertyOptional({ example: '2026-11-01T00:00:00Z', description: 'Requests made at or after this time' })
  @IsOptional()
  @IsIsoDateTime()
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z', description: 'Requests made before this time' })
  @IsOptional()
  @IsIsoDateTime()
  to?: string;
}

/** One page of an organization's inquiries: `items` and `meta` (`page`, `pageSize`, `total` of all that match). */
export class OrgInquiryListDto {
  @ApiProperty({ type: [OrgInquiryDto] }) items: OrgInquiryDto[];
  @ApiProperty({ type: PageMeta, description: 'The page asked for, its size and the count of all inquiries that match the filters' }) meta: PageMeta;
}

/** What the citizen sees of an organization's request. */
export class ConsentRequestDto {
  @ApiProperty({ example: '0193b0f4-8a5e-7c1d-9f2a-3b4c5d6e7f90' }) id: string;
  @ApiProperty({ example: 'بانک ملی ایران' }) organizationName: string;
  @ApiProperty({ enum: ['bank', 'office', 'notary'], example: 'bank' }) organizationKind: string;
  @ApiProperty({ example: '1-2-34-56-0-0-0' }) renewalCode: string;
  @ApiProperty({ example: 1 }) region: number;
  @ApiProperty({ example: '۱۲۳۴/ص/۱۴۰۴' }) letterNumber: string;
  @ApiProperty({ example: '1404/08/20' }) letterDate: string;
  @ApiProperty({ enum: ORG_REQUEST_STATUSES, example: 'awaiting_consent' }) status: string;
  @ApiProperty({ example: '2026-12-02T10:00:00.000Z' }) expiresAt: string;
  @ApiProperty({ type: String, nullable: true, example: null, description: 'The inquiry created by consenting' }) inquiryId: string | null;
}

/** One page of the organizations' requests naming the member. */
export class ConsentRequestPageDto {
  @ApiProperty({ type: [ConsentRequestDto] }) items: ConsentRequestDto[];
  @ApiProperty({ type: PageMeta }) meta: PageMeta;
}

export class ConsentDto {
  @ApiProperty({ example: '1402001234', description: 'Number of the property’s last request as printed on its last certificate (10 digits, e.g. 1402001234; the same knowledge check as a draft)' })
  @IsString()
  @MinLength(1)
  @MaxChars(40)
  lastRequestNumber: string;

  @ApiProperty({ example: 'office-1404-01', description: 'Version of GET /inquiries/undertakings the member read' })
  @IsString()
  @MaxChars(40)
  undertakingsVersion: string;

  @ApiProperty({ example: true })
  @IsBoolean()
  undertakingsAccepted: boolean;
}

export class ConsentResultDto extends ConsentRequestDto {}

export class BulkVerifyItemDto {
  @ApiPropertyOptional({ example: 'eyJhbGciOiJFZERTQSIsImtpZCI6Ii4uLiJ9.eyJzdWIiOiIxNDA0LTEtMDAwMDEyIn0.c2ln', description: 'A compact JWS; or give number and code' })
  @IsOptional()
  @IsString()
  @MinLength(10)
  @MaxChars(10000)
  jws?: string;

  @ApiPropertyOptional({ example: '1404-1-000012', description: 'Certificate number (with code)' })
  @IsOptional()
  @IsString()
  @MaxChars(40)
  number?: string;

  @ApiPropertyOptional({ example: '7K3QX9MB', description: 'The short verification code printed on the letter (with number)' })
  @IsOptional()
  @IsString()
  @MaxChars(40)
  code?: string;
}

export class BulkVerifyDto {
  @ApiProperty({ type: [BulkVerifyItemDto], minItems: 1, maxItems: 100, description: 'Up to 100 certificates, each by JWS or by number + code' })
  @ArrayMinSize(1)
  @MaxItems(100)
  @ValidateNested({ each: true })
  @Type(() => BulkVerifyItemDto)
  items: BulkVerifyItemDto[];
}

export class BulkVerifyResultDto {
  @ApiProperty({ example: 0, description: 'Position in the request' }) index: number;
  @ApiProperty({ enum: ['valid', 'revoked', 'expired', 'unknown', 'invalid'], example: 'valid' }) status: string;
  @ApiPropertyOptional({ example: 'bad_signature' }) reason?: string;
  @ApiProperty({ type: VerificationDto, description: 'The same answer as the public verification' }) verification: VerificationDto;
}

export class BulkVerifyResponseDto {
  @ApiProperty({ type: [BulkVerifyResultDto] }) results: BulkVerifyResultDto[];
}

export class OrgAnswerQuery {
  @ApiPropertyOptional({ enum: ['json', 'pdf'], example: 'json', default: 'json' })
  @IsOptional()
  @IsIn(['json', 'pdf'])
  format?: 'json' | 'pdf';
}
