import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMinSize, IsBoolean, IsEnum, IsIn, IsInt, IsOptional, IsString, IsUUID, MinLength, ValidateNested } from 'class-validator';
import { Between, IsCalendarDay, MaxChars, MaxItems, PageMeta, PageQuery } from '@app/common';
import { InquiryStatus, InquiryType } from '../../inquiries/domain/inquiry-status';
import { DocumentUrlDto, InquiryDto } from '../../inquiries/dto/inquiry.dto';

export class DeskQueueQuery extends PageQuery {
  @ApiPropertyOptional({ enum: InquiryStatus, example: InquiryStatus.Submitted })
  @IsOptional()
  @IsEnum(InquiryStatus)
  status?: InquiryStatus;

  @ApiPropertyOptional({ enum: InquiryType, example: InquiryType.Office })
  @IsOptional()
  @IsEnum(InquiryType)
  type?: InquiryType;

  @ApiPropertyOptional({ enum: ['overdue', 'due_today'], example: 'overdue', description: 'Reviews past their due time, or due by the end of today (Tehran)' })
  @IsOptional()
  @IsIn(['overdue', 'due_today'])
  sla?: 'overdue' | 'due_today';

  @ApiPropertyOptional({ example: '1-7-12-34', description: 'Tracking code, or the start of a renewal code' })
  @IsOptional()
  @IsString()
  @MaxChars(40)
  q?: string;

  @ApiPropertyOptional({ example: 1, description: 'Only this region (admins see all regions by default)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Between(1, 3)
  region?: number;
}

export class DeskQueueItemDto {
  @ApiProperty({ example: '0193a8b2-7c4e-7d1a-9f00-1b2c3d4e5f60' }) id: string;
  @ApiProperty({ enum: InquiryType, example: InquiryType.Office }) type: InquiryType;
  @ApiProperty({ enum: InquiryStatus, example: InquiryStatus.Submitted }) status: InquiryStatus;
  @ApiProperty({ example: 'ثبت‌شده، در انتظار بررسی' }) statusTitle: string;
  @ApiProperty({ example: 1 }) region: number;
  @ApiProperty({ example: '1-7-12-34-0-0-0' }) renewalCode: string;
  @ApiProperty({ example: '140409041234', nullable: true, type: String }) trackingCode: string | null;
  @ApiProperty({ example: '2026-11-25T08:30:00.000Z', nullable: true, type: String }) submittedAt: string | null;
  @ApiProperty({ example: '2026-11-26T08:30:00.000Z', nullable: true, type: String }) reviewDueAt: string | null;
  @ApiProperty({ example: '1405/09/05 12:00', nullable: true, type: String }) reviewDueAtJalali: string | null;
  @ApiProperty({ example: false }) overdue: boolean;
  @ApiProperty({ example: null, nullable: true, type: String, description: 'Staff id of the clerk holding it' }) claimedBy: string | null;
  @ApiProperty({ example: null, nullable: true, type: String }) claimedByName: string | null;
}

export class StatusCountDto {
  @ApiProperty({ enum: InquiryStatus, example: InquiryStatus.Submitted }) status: InquiryStatus;
  @ApiProperty({ example: 4 }) count: number;
}

export class DeskQueueDto {
  @ApiProperty({ type: [DeskQueueItemDto] }) items: DeskQueueItemDto[];
  @ApiProperty({ type: [StatusCountDto], description: 'Counts per status of the regions in view (filters other than region ignored)' })
  counts: StatusCountDto[];
  @ApiProperty({ type: PageMeta }) meta: PageMeta;
}

export class DocumentVerdictDto {
  @ApiProperty({ example: 'deed' })
  @IsString()
  @MaxChars(40)
  kind: string;

  @ApiProperty({ enum: ['accepted', 'rejected'], example: 'rejected' })
  @IsIn(['accepted', 'rejected'])
  verdict: 'accepted' | 'rejected';

  @ApiPropertyOptional({ example: 'تصویر سند ناخوانا است؛ صفحه اول سند را واضح بارگذاری کنید.', description: 'Required when rejected; the applicant sees it' })
  @IsOptional()
  @IsString()
  @MinLength(3)
  @MaxChars(500)
  reason?: string;
}

export class ReviewDto {
  @ApiProperty({ type: [DocumentVerdictDto] })
  @ValidateNested({ each: true })
  @Type(() => DocumentVerdictDto)
  @ArrayMinSize(1)
  @MaxItems(10)
  documents: DocumentVerdictDto[];
}

export class ReassignDto {
  @ApiProperty({ example: '0193a8b2-7c4e-7d1a-9f00-1b2c3d4e5f61', description: 'Staff id of the clerk or manager of the region to take it' })
  @IsUUID()
  @MaxChars(36)
  staffId: string;
}

export class VisitResultDto {
  @ApiProperty({ example: 'ساختمان سه طبقه مسکونی مطابق پروانه؛ تغییر کاربری مشاهده نشد.' })
  @IsString()
  @MinLength(3)
  @MaxChars(2000)
  findings: string;

  @ApiProperty({ example: true, description: 'Whether the property on site matches the records (`true`/`false` as a form field)' })
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  matchesRecords: boolean;

  // multipart files: at most 4 (the upload interceptor's `files` limit), each within DOCUMENT_UPLOAD_MAX_BYTES (413 beyond)
  @ApiPropertyOptional({
    type: 'array',
    maxItems: 4,
    items: { type: 'string', format: 'binary' },
    description: 'Up to 4 photos, PNG or JPEG (decided by content), each at most DOCUMENT_UPLOAD_MAX_BYTES (default 5 MiB), re-encoded without metadata like the documents',
  })
  photos?: unknown;
}

export class PrepareAnswerDto {
  @ApiPropertyOptional({ example: 'این پاسخ صرفاً جهت ارائه به بانک ملی صادر شده است.', description: 'Printed under “remarks”' })
  @IsOptional()
  @IsString()
  @MaxChars(1000)
  note?: string;
}

export class RejectDto {
  @ApiProperty({ example: 'مالکیت متقاضی با اسناد ارائه‌شده احراز نشد.' })
  @IsString()
  @MinLength(3)
  @MaxChars(500)
  reason: string;
}

export class VisitsQuery {
  @ApiPropertyOptional({ example: '1405/09/07', description: 'Tehran date (default today): Jalali 1405/09/07 or Gregorian 2026-11-28' })
  @IsOptional()
  @IsCalendarDay()
  date?: string;

  @ApiPropertyOptional({ example: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Between(1, 3)
  region?: number;
}

export class DeskVisitDto {
  @ApiProperty({ example: '0193a8b2-7c4e-7d1a-9f00-1b2c3d4e5f60' }) id: string;
  @ApiProperty({ example: '140409041234', nullable: true, type: String }) trackingCode: string | null;
  @ApiProperty({ example: 1 }) region: number;
  @ApiProperty({ example: '1-7-12-34-0-0-0' }) renewalCode: string;
  @ApiProperty({ example: 'قزوین، خیابان نمونه', nullable: true, type: String }) address: string | null;
  @ApiProperty({ enum: InquiryStatus, example: InquiryStatus.VisitScheduled }) status: InquiryStatus;
  @ApiProperty({ example: '2026-11-28T05:30:00.000Z' }) startsAt: string;
  @ApiProperty({ example: '1405/09/07 09:00' }) startsAtJalali: string;
}

export class DeskFinancesDto {
  @ApiProperty({ example: false }) settled: boolean;
  @ApiProperty({ example: 12500000 }) totalRials: number;
  @ApiPropertyOptional({ example: 1500000, description: 'Inquiry fee added to the file by the assessment (billing tariff)' }) inquiryFeeRials?: number;
  @ApiProperty({ example: '2026-11-25T09:00:00.000Z' }) assessedAt: string;
  @ApiProperty({ example: { billId: '1234567890123', paymentId: '12500040123', amountRials: 12500000, expiresAt: '2026-12-05T20:29:59.000Z' }, nullable: true })
  bill: { billId: string; paymentId: string; amountRials: number; expiresAt: string } | null;
  @ApiProperty({ type: 'array', items: { type: 'object' }, example: [{ billId: '1234567890123', paymentId: '12500040123', amountRials: 12500000, paidAt: '2026-11-25T10:00:00.000Z' }] })
  paidBills: Array<{ billId: string; paymentId: string; amountRials: number; paidAt: string }>;
}

export class DeskCaseDto {
  @ApiProperty({ example: '0193a8b2-7c4e-7d1a-9f00-1b2c3d4e5f61', nullable: true, type: String }) claimedBy: string | null;
  @ApiProperty({ example: 'clerk.r1', nullable: true, type: String }) claimedByName: string | null;
  @ApiProperty({ example: '2026-11-25T08:40:00.000Z', nullable: true, type: String }) claimedAt: string | null;
  @ApiProperty({ type: 'array', items: { type: 'object' }, example: [{ kind: 'deed', verdict: 'accepted', reason: null }], nullable: true }) review: Array<{ kind: string; verdict: string; reason?: string | null }> | null;
  @ApiProperty({ example: '2026-11-25T09:00:00.000Z', nullable: true, type: String }) reviewedAt: string | null;
  @ApiProperty({ type: DeskFinancesDto, nullable: true }) finances: DeskFinancesDto | null;
  @ApiProperty({
    example: { findings: 'مطابق سوابق', matchesRecords: true, at: '2026-11-28T06:00:00.000Z', photos: [{ url: 'https://storage.example/…', sha256: '9f0c…', expiresAt: '2026-11-28T06:05:00.000Z' }] },
    nullable: true,
  })
  visit: { findings: string; matchesRecords: boolean; at: string; photos: Array<{ url: string; sha256: string; expiresAt: string }> } | null;
  @ApiProperty({ example: null, nullable: true, type: String }) preparedBy: string | null;
  @ApiProperty({ example: null, nullable: true, type: String }) preparedAt: string | null;
  @ApiProperty({ example: null, nullable: true, type: String }) overdueAt: string | null;
  @ApiProperty({ example: null, nullable: true, type: String, description: 'Number of the issued certificate' }) certificateNumber: string | null;
}

export class DeskPersonDto {
  @ApiProperty({ example: 'زهرا کریمی' }) fullName: string;
  @ApiProperty({ example: '0499370899', description: 'Unmasked for staff of the inquiry’s region and admins; `049****899` otherwise' }) nationalId: string;
  @ApiProperty({ example: '09121234567', description: 'Unmasked for staff of the inquiry’s region and admins; `0912***4567` otherwise' }) mobile: string;
}

export class DeskOwnerDto {
  @ApiProperty({ example: 'زهرا کریمی' }) fullName: string;
  @ApiProperty({ example: '0499370899', description: 'Unmasked for staff of the inquiry’s region and admins' }) nationalId: string;
  @ApiProperty({ example: 100 }) sharePercent: number;
}

export class DeskPartiesDto {
  @ApiProperty({ example: false, description: 'True when the caller is not staff of the inquiry’s region (identities masked)' }) masked: boolean;
  @ApiProperty({ type: DeskPersonDto, nullable: true, description: 'The applicant (null when the member record is gone)' }) applicant: DeskPersonDto | null;
  @ApiProperty({ type: [DeskOwnerDto], description: 'The property’s owners as the records hold them now' }) owners: DeskOwnerDto[];
}

export class DeskInquiryDto {
  @ApiProperty({ type: InquiryDto }) inquiry: InquiryDto;
  @ApiProperty({ type: DeskPartiesDto, description: 'Who the case is about, to check the national card image against' }) parties: DeskPartiesDto;
  @ApiProperty({ type: [DocumentUrlDto], description: 'Short-lived presigned links of the uploaded documents' }) documents: DocumentUrlDto[];
  @ApiProperty({ type: DeskCaseDto }) desk: DeskCaseDto;
}

export class StatsQuery {
  @ApiPropertyOptional({ example: '1405/08/10', description: 'From this Tehran date (default 30 days ago): Jalali 1405/08/10 or Gregorian 2026-11-01' })
  @IsOptional()
  @IsCalendarDay()
  from?: string;

  @ApiPropertyOptional({ example: '1405/09/09', description: 'Through this Tehran date (default today): Jalali 1405/09/09 or Gregorian 2026-11-30' })
  @IsOptional()
  @IsCalendarDay()
  to?: string;
}

export class RegionStatsDto {
  @ApiProperty({ example: 1 }) region: number;
  @ApiProperty({ example: 42, description: 'Inquiries submitted in the period' }) received: number;
  @ApiProperty({ example: 37, description: 'Answers issued in the period' }) answered: number;
  @ApiProperty({ example: 2, description: 'Reviews past their due time now' }) overdue: number;
  @ApiProperty({ example: 3.5, nullable: true, type: Number, description: 'Median review time in working hours (reviews done in the period)' })
  medianReviewWorkingHours: number | null;
}

export class DeskStatsDto {
  @ApiProperty({ example: '2026-11-01' }) from: string;
  @ApiProperty({ example: '2026-11-30' }) to: string;
  @ApiProperty({ type: [RegionStatsDto] }) regions: RegionStatsDto[];
}
