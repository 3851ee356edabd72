import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsNumber, IsOptional, IsString, Matches, ValidateIf } from 'class-validator';
import { Between, IsCalendarDay, IsIsoDateTime, MaxChars } from '@app/common';
import { DayKindEnum } from '../entities/calendar-day.entity';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

export class CalendarDayDto {
  @ApiProperty({ example: '2025-04-01', description: 'Gregorian date of the Tehran calendar day' })
  date: string;
  @ApiProperty({ example: '1404/01/12', description: 'Jalali date' })
  jalali: string;
  @ApiProperty({ example: 'سه‌شنبه', description: 'Weekday in Persian' })
  weekday: string;
  @ApiProperty({ enum: DayKindEnum, example: 'holiday' })
  kind: DayKindEnum;
  @ApiProperty({ nullable: true, example: null, type: String, description: 'Opening time HH:mm, Asia/Tehran' })
  opensAt: string | null;
  @ApiProperty({ nullable: true, example: null, type: String, description: 'Closing time HH:mm, Asia/Tehran' })
  closesAt: string | null;
  @ApiProperty({ nullable: true, example: 'روز جمهوری اسلامی', type: String })
  title: string | null;
  @ApiProperty({ enum: ['generated', 'admin'], example: 'generated', description: '`admin` days survive regeneration' })
  source: 'generated' | 'admin';
}

export class CalendarRangeQuery {
  @ApiProperty({ example: '1404/01/01', description: 'First day: Jalali 1404/01/01 (or 1404-01-01, Persian digits too) or Gregorian 2025-03-21' })
  @IsCalendarDay()
  from: string;
  @ApiProperty({ example: '1404/01/31', description: 'Last day (inclusive), at most 400 days after `from`: Jalali 1404/01/31 (or 1404-01-31, Persian digits too) or Gregorian 2025-04-20' })
  @IsCalendarDay()
  to: string;
}

export class UpdateCalendarDayDto {
  @ApiProperty({ enum: DayKindEnum, example: 'holiday', description: '`work`, `half` (closes early) or `holiday`' })
  @IsEnum(DayKindEnum)
  kind: DayKindEnum;

  @ApiPropertyOptional({ example: '07:30', description: 'Required for work/half days; omit for holidays' })
  @ValidateIf((o: UpdateCalendarDayDto) => o.kind !== DayKindEnum.Holiday)
  @Matches(HHMM, { message: 'opensAt must be HH:mm' })
  @MaxChars(5)
  opensAt?: string;

  @ApiPropertyOptional({ example: '12:00', description: 'Required for work/half days; omit for holidays' })
  @ValidateIf((o: UpdateCalendarDayDto) => o.kind !== DayKindEnum.Holiday)
  @Matches(HHMM, { message: 'closesAt must be HH:mm' })
  @MaxChars(5)
  closesAt?: string;

  @ApiPropertyOptional({ example: 'تاسوعای حسینی', description: 'Why the day differs (shown to citizens)' })
  @IsOptional()
  @IsString()
  @MaxChars(200)
  title?: string;
}

export class GenerateYearResultDto {
  @ApiProperty({ example: 1405 }) jalaliYear: number;
  @ApiProperty({ example: 365, description: 'Days in the year' }) days: number;
  @ApiProperty({ example: 365, description: 'Days written (admin-edited days are kept)' }) written: number;
}

export class SlaQuery {
  @ApiProperty({ example: '2025-03-19T10:30:00Z', description: 'Start instant (ISO 8601, years 1900–2299)' })
  @IsString()
  @IsIsoDateTime()
  start: string;

  @ApiPropertyOptional({ example: 1, description: 'Working days to add (default: the configured review SLA)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Between(0, 60)
  workingDays?: number;

  @ApiPropertyOptional({ example: 4, description: 'Working hours to add instead of days' })
  @IsOptional()
  @Type(() => Number)
  @IsNumber()
  @Between(0, 2000)
  workingHours?: number;
}

export class SlaResultDto {
  @ApiProperty({ example: '2025-03-19T10:30:00.000Z' }) start: string;
  @ApiProperty({ example: '2025-04-05T04:00:00.000Z', description: 'Due instant (ISO 8601 UTC)' }) dueAt: string;
  @ApiProperty({ example: '1404/01/16 07:30', description: 'Due time in Jalali, Asia/Tehran' }) dueAtJalali: string;
}
