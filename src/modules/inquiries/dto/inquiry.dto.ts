import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsEnum, IsIn, IsInt, IsOptional, IsString, Matches, MinLength, ValidateNested } from 'class-validator';
import { Between, IsCalendarDay, IsNationalId, MaxChars, PageMeta, PageQuery } from '@app/common';
import { PropertySummaryDto } from '../../properties/dto/property.dto';
import { InquiryStatus, InquiryType } from '../domain/inquiry-status';
import { DocumentKind } from '../entities/inquiry-document.entity';
import { ApplicantRole } from '../entities/inquiry.entity';

export class UndertakingsQuery {
  @ApiProperty({ enum: InquiryType, example: InquiryType.Office })
  @IsEnum(InquiryType)
  type: InquiryType;
}

export class UndertakingsDto {
  @ApiProperty({ enum: InquiryType, example: InquiryType.Office }) type: InquiryType;
  @ApiProperty({ example: 'office-1404-01', description: 'Send it back as `undertakingsVersion` when creating the inquiry' }) version: string;
  @ApiProperty({ example: 'تعهدات درخواست پاسخ استعلام ادارات (بانک‌ها و ...)' }) title: string;
  @ApiProperty({ example: ['اطلاعات و مدارکی که بارگذاری می‌کنم درست، کامل و متعلق به همین ملک است ...'] }) items: string[];
}

export class RequestingOrganizationDto {
  @ApiProperty({ enum: ['bank', 'government', 'other'], example: 'bank' })
  @IsIn(['bank', 'government', 'other'])
  kind: 'bank' | 'government' | 'other';

  @ApiProperty({ example: 'بانک ملی ایران، شعبه مرکزی قزوین' })
  @IsString()
  @MinLength(2)
  @MaxChars(200)
  name: string;

  @ApiProperty({ example: '۱۲۳۴/ص/۱۴۰۴', description: 'Number of the office’s letter' })
  @IsString()
  @MinLength(1)
  @MaxChars(50)
  letterNumber: string;

  @ApiProperty({ example: '1404/08/20', description: 'Date of the letter: Jalali 1404/08/20 (or 1404-08-20, Persian digits too) or Gregorian 2025-11-11; kept and printed on the answer as Jalali YYYY/MM/DD' })
  @IsCalendarDay({ as: 'jalali' })
  letterDate: string;
}

export class CreateInquiryDto {
  @ApiProperty({ enum: InquiryType, example: InquiryType.Office })
  @IsEnum(InquiryType)
  type: InquiryType;

  @ApiProperty({ example: '1-2-34-56-0-0-0', description: 'Renewal code (کد نوسازی); Persian digits and any separator accepted' })
  @IsString()
  @MaxChars(60)
  renewalCode: string;

  @ApiProperty({ example: 1, description: 'Region (منطقه) the member chose; must match the renewal code' })
  @Type(() => Number)
  @IsInt()
  @Between(1, 9)
  region: number;

  @ApiProperty({ example: '1402001234', description: 'Number of the property’s last request (شماره آخرین درخواست) as printed on its last certificate, 10 digits (e.g. 1402001234): a knowledge check, 5 wrong tries per day' })
  @IsString()
  @MinLength(1)
  @MaxChars(40)
  lastRequestNumber: string;

  @ApiProperty({ example: 'office-1404-01', description: 'The version of GET /inquiries/undertakings the member read' })
  @IsOptional()
  @IsString()
  @MaxChars(40)
  undertakingsVersion?: string;

  @ApiProperty({ example: true, description: 'Must be true (else `UNDERTAKINGS_NOT_ACCEPTED`)' })
  @IsOptional()
  @IsBoolean()
  undertakingsAccepted?: boolean;

  @ApiPropertyOptional({ enum: ApplicantRole, default: ApplicantRole.Owner, description: 'attorney: the power-of-attorney document becomes required' })
  @IsOptional()
  @IsEnum(ApplicantRole)
  applicantRole?: ApplicantRole;

  @ApiPropertyOptional({ example: '0499370899', description: 'Attorney only: national ID of the owner the member acts for' })
  @IsOptional()
  @IsNationalId()
  principalNationalId?: string;

  @ApiPropertyOptional({ type: RequestingOrganizationDto, description: 'Office inquiries: the requesting bank or office' })
  @IsOptional()
  @ValidateNested()
  @Type(() => RequestingOrganizationDto)
  organization?: RequestingOrganizationDto;

  @ApiPropertyOptional({ example: '125', description: 'Notary inquiries: the notary office (دفترخانه) number' })
  @IsOptional()
  @Matches(/^\d{1,5}$/, { message: 'must be 1 to 5 digits' })
  @MaxChars(5)
  notaryOfficeNumber?: string;
}

export class OwnerDto {
  @ApiProperty({ example: '049****899', description: 'Masked national ID' }) nationalId: string;
  @ApiProperty({ example: 'سارا قزوینی' }) fullName: string;
  @ApiProperty({ example: 100 }) sharePercent: number;
}

export class CertificateDto {
  @ApiProperty({ example: 'apartment_completion' }) kind: string;
  @ApiProperty({ example: '1402001234', description: 'Request number, 10 digits as printed on the certificate' }) requestNumber: string;
  @ApiProperty({ example: 1402 }) jalaliYear: number;
  @ApiProperty({ example: '2023-08-14' }) issueDate: string;
}

export class InquiryBillDto {
  @ApiProperty({ example: '123410165' }) billId: string;
  @ApiProperty({ example: '1974950908' }) paymentId: string;
  @ApiProperty({ example: 19_749_000 }) amountRials: number;
}

export class InquiryOpenBillDto {
  @ApiProperty({ example: '123410165', description: 'Bill ID (شناسه قبض) to pay at a bank, by the payments gateway (`POST /payments`) or a bank channel' })
  billId: string;
  @ApiProperty({ example: '1974950908', description: 'Payment ID (شناسه پرداخت) that goes with the bill ID' }) paymentId: string;
  @ApiProperty({ example: 19_749_000, description: 'Amount to pay, integer Rials (rounded down to thousand Rials)' }) amountRials: number;
  @ApiProperty({ example: '2026-12-20T20:30:00.000Z', description: 'After this instant the bill is no longer payable; reading the inquiry again offers a fresh one' })
  expiresAt: string;
  @ApiProperty({ example: '1405/09/30 00:00' }) expiresAtJalali: string;
  @ApiProperty({ enum: ['open'], example: 'open', description: 'Only open bills are shown here; once paid the inquiry moves on and `bill` is null' })
  status: 'open';
}

export class DebtSummaryDto {
  @ApiProperty({ example: false }) settled: boolean;
  @ApiProperty({ example: 19_749_000 }) totalRials: number;
  @ApiProperty({ type: InquiryBillDto, nullable: true }) bill: InquiryBillDto | null;
}

export class InquiryRecordsDto {
  @ApiProperty({ type: PropertySummaryDto }) property: PropertySummaryDto;
  @ApiProperty({ type: [OwnerDto] }) owners: OwnerDto[];
  @ApiProperty({ type: [CertificateDto], description: 'Certificate history, newest first' }) certificates: CertificateDto[];
  @ApiProperty({
    type: DebtSummaryDto,
    nullable: true,
    description:
      'Renewal, waste and guild fees of the file (and the inquiry fee once assessed): read live from billing while the inquiry is `awaiting_payment`, otherwise as recorded when the draft was made',
  })
  debts: DebtSummaryDto | null;
}

export class DocumentDto {
  @ApiProperty({ enum: DocumentKind, example: DocumentKind.Deed }) kind: DocumentKind;
  @ApiProperty({ example: 'image/jpeg' }) contentType: string;
  @ApiProperty({ example: 183_422 }) size: number;
  @ApiProperty({ example: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' }) sha256: string;
  @ApiProperty({ example: 1600 }) width: number;
  @ApiProperty({ example: 1131 }) height: number;
  @ApiProperty({ example: 'deed-page1.jpg', nullable: true, type: String }) originalName: string | null;
  @ApiProperty({ example: '2026-11-25T10:00:00.000Z' }) uploadedAt: string;
}

export class DocumentRequirementDto {
  @ApiProperty({ enum: DocumentKind, example: DocumentKind.Deed }) kind: DocumentKind;
  @ApiProperty({ example: true }) required: boolean;
  @ApiProperty({ example: false }) uploaded: boolean;
  @ApiPropertyOptional({
    enum: ['accepted', 'rejected'],
    nullable: true,
    example: 'rejected',
    description: 'The desk’s verdict on the uploaded page (null: not reviewed since it was uploaded; a re-upload clears it)',
  })
  verdict?: 'accepted' | 'rejected' | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'تصویر کارت ملی خوانا نیست؛ پشت و روی کارت را دوباره اسکن کنید.', description: 'Why the page was rejected (what to fix)' })
  reason?: string | null;
}

export class DocumentListDto {
  @ApiProperty({ type: [DocumentDto] }) items: DocumentDto[];
  @ApiProperty({ type: [DocumentRequirementDto] }) requirements: DocumentRequirementDto[];
}

export class DocumentUrlDto {
  @ApiProperty({ enum: DocumentKind, example: DocumentKind.Deed }) kind: DocumentKind;
  @ApiProperty({ example: 'https://storage.example/qazvin-documents/documents/2026/11/9f0c…?X-Amz-Signature=…' }) url: string;
  @ApiProperty({ example: '2026-11-25T10:05:00.000Z' }) expiresAt: string;
}

export class UploadDocumentDto {
  @ApiProperty({ type: 'string', format: 'binary', description: 'PNG or JPEG scan (decided by content), at most DOCUMENT_UPLOAD_MAX_BYTES (default 5 MiB; 413 beyond); re-encoded to JPEG ≤ ~300 KB without metadata' })
  file: unknown;
}

export class HistoryEntryDto {
  @ApiProperty({ enum: InquiryStatus, nullable: true, example: InquiryStatus.Draft }) from: InquiryStatus | null;
  @ApiProperty({ enum: InquiryStatus, example: InquiryStatus.Submitted }) to: InquiryStatus;
  @ApiProperty({ example: '2026-11-25T10:00:00.000Z' }) at: string;
  @ApiProperty({ example: '1405/09/04 13:30' }) atJalali: string;
  @ApiProperty({ example: 'citizen', enum: ['citizen', 'staff', 'system', 'organization'] }) by: string;
  @ApiProperty({ example: null, nullable: true, type: String }) reason: string | null;
}

export class VisitDto {
  @ApiProperty({ example: '1-20261128-0800' }) slotId: string;
  @ApiProperty({ example: '2026-11-28T04:30:00.000Z' }) startsAt: string;
  @ApiProperty({ example: '1405/09/07 08:00' }) startsAtJalali: string;
}

export class InquiryDto {
  @ApiProperty({ example: '0193a8b2-7c4e-7d1a-9f00-1b2c3d4e5f60' }) id: string;
  @ApiProperty({ enum: InquiryType, example: InquiryType.Office }) type: InquiryType;
  @ApiProperty({ enum: InquiryStatus, example: InquiryStatus.Draft }) status: InquiryStatus;
  @ApiProperty({ example: 'پیش‌نویس' }) statusTitle: string;
  @ApiProperty({ example: '1-2-34-56-0-0-0' }) renewalCode: string;
  @ApiProperty({ example: 1 }) region: number;
  @ApiProperty({ enum: ApplicantRole, example: ApplicantRole.Owner }) applicantRole: ApplicantRole;
  @ApiProperty({ type: RequestingOrganizationDto, nullable: true }) organization: RequestingOrganizationDto | null;
  @ApiProperty({ example: null, nullable: true, type: String }) notaryOfficeNumber: string | null;
  @ApiProperty({ example: 'office-1404-01' }) undertakingsVersion: string;
  @ApiProperty({ type: InquiryRecordsDto }) records: InquiryRecordsDto;
  @ApiProperty({ example: null, nullable: true, type: String }) confirmedAt: string | null;
  @ApiProperty({ example: null, nullable: true, type: String, description: '12 digits, last one a check digit' }) trackingCode: string | null;
  @ApiProperty({ example: null, nullable: true, type: String }) submittedAt: string | null;
  @ApiProperty({ example: null, nullable: true, type: String }) reviewDueAt: string | null;
  @ApiProperty({ example: null, nullable: true, type: String }) reviewDueAtJalali: string | null;
  @ApiProperty({ type: VisitDto, nullable: true }) visit: VisitDto | null;
  @ApiProperty({
    type: InquiryOpenBillDto,
    nullable: true,
    description:
      'While the inquiry is `awaiting_payment`: the open bill that settles the file (the same bill public `GET /debts` and `GET /tracking/{code}` show). Paying it moves the inquiry on by itself. Null otherwise.',
  })
  bill: InquiryOpenBillDto | null;
  @ApiProperty({ type: [DocumentRequirementDto] }) documents: DocumentRequirementDto[];
  @ApiProperty({ type: [HistoryEntryDto] }) history: HistoryEntryDto[];
  @ApiProperty({ example: '2026-11-25T10:00:00.000Z' }) createdAt: string;
  @ApiProperty({ example: '2026-11-25T10:00:00.000Z' }) updatedAt: string;
}

export class InquiryListItemDto {
  @ApiProperty({ example: '0193a8b2-7c4e-7d1a-9f00-1b2c3d4e5f60' }) id: string;
  @ApiProperty({ enum: InquiryType }) type: InquiryType;
  @ApiProperty({ enum: InquiryStatus }) status: InquiryStatus;
  @ApiProperty({ example: 'ثبت‌شده، در انتظار بررسی' }) statusTitle: string;
  @ApiProperty({ example: '1-2-34-56-0-0-0' }) renewalCode: string;
  @ApiProperty({ example: '482915736401', nullable: true, type: String }) trackingCode: string | null;
  @ApiProperty({ example: '2026-11-25T10:00:00.000Z', nullable: true, type: String }) submittedAt: string | null;
  @ApiProperty({ example: '2026-11-25T10:00:00.000Z' }) createdAt: string;
}

export class InquiryListDto {
  @ApiProperty({ type: [InquiryListItemDto] }) items: InquiryListItemDto[];
  @ApiProperty({ type: PageMeta }) meta: PageMeta;
}

export class InquiryListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: InquiryStatus })
  @IsOptional()
  @IsEnum(InquiryStatus)
  status?: InquiryStatus;
}

export class SubmitResultDto {
  @ApiProperty({ example: '482915736401' }) trackingCode: string;
  @ApiProperty({ enum: InquiryStatus, example: InquiryStatus.Submitted }) status: InquiryStatus;
  @ApiProperty({ example: '2026-11-26T10:00:00.000Z' }) reviewDueAt: string;
  @ApiProperty({ example: '1405/09/05 13:30' }) reviewDueAtJalali: string;
}

export class CancelInquiryDto {
  @ApiPropertyOptional({ example: 'دیگر به پاسخ نیاز ندارم', maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxChars(500)
  reason?: string;
}

export class VisitSlotsQuery {
  @ApiProperty({ example: 1 })
  @Type(() => Number)
  @IsInt()
  @Between(1, 9)
  region: number;

  @ApiPropertyOptional({ example: '1405/09/07', description: 'First day, Tehran date (default: the next working day): Jalali 1405/09/07 (or 1405-09-07, Persian digits too) or Gregorian 2026-11-28' })
  @IsOptional()
  @IsCalendarDay()
  from?: string;
}

export class VisitSlotDto {
  @ApiProperty({ example: '1-20261128-0800' }) slotId: string;
  @ApiProperty({ example: 1 }) region: number;
  @ApiProperty({ example: '2026-11-28T04:30:00.000Z' }) startsAt: string;
  @ApiProperty({ example: '2026-11-28T05:30:00.000Z' }) endsAt: string;
  @ApiProperty({ example: '1405/09/07 08:00' }) startsAtJalali: string;
  @ApiProperty({ example: 2 }) capacity: number;
  @ApiProperty({ example: 1 }) remaining: number;
}

export class BookVisitDto {
  @ApiProperty({ example: '1-20261128-0800' })
  @IsString()
  @Matches(/^\d-\d{8}-\d{4}$/, { message: 'must look like 1-20261128-0800' })
  @MaxChars(15)
  slotId: string;
}

export class TrackingNextActionDto {
  @ApiProperty({ example: 'pay_debts' }) code: string;
  @ApiProperty({ example: 'بدهی پرونده را با شناسه قبض و پرداخت بپردازید.' }) text: string;
  @ApiProperty({ type: InquiryBillDto, nullable: true, description: 'When debts are due: the bill to pay' }) bill: InquiryBillDto | null;
}

export class TrackingDto {
  @ApiProperty({ example: '482915736401' }) trackingCode: string;
  @ApiProperty({ enum: InquiryType }) type: InquiryType;
  @ApiProperty({ enum: InquiryStatus, example: InquiryStatus.Submitted }) status: InquiryStatus;
  @ApiProperty({ example: 'ثبت‌شده، در انتظار بررسی' }) statusTitle: string;
  @ApiProperty({ example: 2, description: '1 draft … 7 closed' }) step: number;
  @ApiProperty({ example: 1 }) region: number;
  @ApiProperty({ example: '2026-11-25T10:00:00.000Z' }) submittedAt: string;
  @ApiProperty({ example: '1405/09/04 13:30' }) submittedAtJalali: string;
  @ApiProperty({ example: '2026-11-26T10:00:00.000Z', nullable: true, type: String }) reviewDueAt: string | null;
  @ApiProperty({ example: '1405/09/05 13:30', nullable: true, type: String }) reviewDueAtJalali: string | null;
  @ApiProperty({ example: '2026-11-25T10:00:00.000Z' }) updatedAt: string;
  @ApiProperty({ type: TrackingNextActionDto }) next: TrackingNextActionDto;
}

