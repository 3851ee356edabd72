import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Matches, MinLength, ValidateIf } from 'class-validator';
import { IsCalendarDay, IsIranMobile, IsNationalId, MaxChars, PageMeta, PageQuery } from '@app/common';

export class RegistryPersonDto {
  @ApiProperty({ example: '0499370899', description: 'National ID (کد ملی)' }) nationalId: string;
  @ApiProperty({ example: '09120000100', nullable: true, type: String, description: 'The mobile registered to this national ID (Shahkar); null: none' })
  mobile: string | null;
  @ApiProperty({ example: 'مریم' }) firstName: string;
  @ApiProperty({ example: 'احمدی' }) lastName: string;
  @ApiProperty({ example: 'محمد' }) fatherName: string;
  @ApiProperty({ example: '1365/04/20', description: 'Jalali birth date' }) birthDate: string;
  @ApiProperty({ example: true, description: 'false: the civil registry records the person as deceased' }) alive: boolean;
  @ApiProperty({ example: 'demo citizen', nullable: true, type: String }) note: string | null;
  @ApiProperty({ example: '2026-12-06T08:00:00.000Z' }) updatedAt: string;
}

export class RegistryPersonPageDto {
  @ApiProperty({ type: [RegistryPersonDto] }) items: RegistryPersonDto[];
  @ApiProperty({ type: PageMeta }) meta: PageMeta;
}

export class RegistryPersonQueryDto extends PageQuery {
  @ApiPropertyOptional({ example: '0912', description: 'Prefix of a national ID or a mobile number' })
  @IsOptional()
  @IsString()
  @MaxChars(11)
  @Matches(/^\d{1,11}$/, { message: 'search must be 1 to 11 digits' })
  search?: string;
}

export class CreateRegistryPersonDto {
  @ApiProperty({ example: '0499370899', description: 'National ID; an existing entry with it is replaced' })
  @IsString()
  @IsNationalId()
  nationalId: string;

  @ApiPropertyOptional({ example: '09123334455', nullable: true, type: String, description: 'Registered mobile; omit or null for none (every mobile mismatches)' })
  @ValidateIf((o: { mobile?: unknown }) => o.mobile !== undefined && o.mobile !== null)
  @IsString()
  @IsIranMobile()
  mobile?: string | null;

  @ApiProperty({ example: 'علی' }) @IsString() @MinLength(2) @MaxChars(60) firstName: string;
  @ApiProperty({ example: 'محمدی' }) @IsString() @MinLength(2) @MaxChars(80) lastName: string;
  @ApiProperty({ example: 'حسن' }) @IsString() @MinLength(2) @MaxChars(60) fatherName: string;

  @ApiProperty({ example: '1370/06/31', description: 'Birth date: Jalali 1370/06/31 (or 1370-06-31, Persian digits too) or Gregorian 1991-09-22; stored as Jalali YYYY/MM/DD' })
  @IsCalendarDay({ as: 'jalali' })
  birthDate: string;

  @ApiPropertyOptional({ example: true, default: true }) @IsOptional() @IsBoolean() alive?: boolean;
  @ApiPropertyOptional({ example: 'mismatch example for the integrator' }) @IsOptional() @IsString() @MaxChars(200) note?: string;
}

export class UpdateRegistryPersonDto {
  @ApiPropertyOptional({ example: '09123334455', nullable: true, type: String, description: 'null removes the registered mobile' })
  @ValidateIf((o: { mobile?: unknown }) => o.mobile !== undefined && o.mobile !== null)
  @IsString()
  @IsIranMobile()
  mobile?: string | null;
  @ApiPropertyOptional({ example: 'علی' }) @IsOptional() @IsString() @MinLength(2) @MaxChars(60) firstName?: string;
  @ApiPropertyOptional({ example: 'محمدی' }) @IsOptional() @IsString() @MinLength(2) @MaxChars(80) lastName?: string;
  @ApiPropertyOptional({ example: 'حسن' }) @IsOptional() @IsString() @MinLength(2) @MaxChars(60) fatherName?: string;
  @ApiPropertyOptional({ example: '1370/06/31', description: 'Birth date: Jalali 1370/06/31 (or 1370-06-31, Persian digits too) or Gregorian 1991-09-22; stored as Jalali YYYY/MM/DD' }) @IsOptional() @IsCalendarDay({ as: 'jalali' }) birthDate?: string;
  @ApiPropertyOptional({ example: false }) @IsOptional() @IsBoolean() alive?: boolean;
  @ApiPropertyOptional({ example: 'edited for a demo' }) @IsOptional() @IsString() @MaxChars(200) note?: string;
}
