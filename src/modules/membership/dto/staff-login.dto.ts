import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayUnique, IsArray, IsBoolean, IsEnum, IsIn, IsInt, IsOptional, IsString, Matches, MinLength } from 'class-validator';
import { integerSchema, IsIranMobile, MaxChars, MaxItems, PageMeta } from '@app/common';
import { StaffRole } from '../entities/staff-user.entity';

export class StaffLoginDto {
  @ApiProperty({ example: 'admin', description: 'Staff username' })
  @IsString()
  @MinLength(3)
  @MaxChars(64)
  username: string;

  @ApiProperty({ example: 'see DATA_DIR/demo.json', description: 'Password, exactly as typed' })
  @IsString()
  @MinLength(1)
  @MaxChars(256)
  password: string;
}

export class StaffLoginResultDto {
  @ApiProperty({
    enum: ['authenticated', 'second_factor_required'],
    example: 'second_factor_required',
    description: 'Admins, region managers and finance officers confirm with an SMS code (POST /api/v1/staff/auth/verify)',
  })
  status: 'authenticated' | 'second_factor_required';
  @ApiPropertyOptional({ example: '0193b0f4-8a5e-7c1d-9f2a-3b4c5d6e7f80' }) challengeId?: string;
  @ApiPropertyOptional({ example: '0912***4567', description: 'Where the code was sent' }) sentTo?: string;
  @ApiPropertyOptional({ example: 120 }) expiresInSeconds?: number;
  @ApiPropertyOptional() accessToken?: string;
  @ApiPropertyOptional({ example: 'Bearer' }) tokenType?: 'Bearer';
  @ApiPropertyOptional({ example: 900 }) expiresIn?: number;
  @ApiPropertyOptional() refreshToken?: string;
  @ApiPropertyOptional({ example: ['region_clerk'] }) roles?: string[];
  @ApiPropertyOptional({ example: [1], type: [Number] }) regions?: number[];
}

export class StaffDto {
  @ApiProperty({ example: '0193b0f4-8a5e-7c1d-9f2a-3b4c5d6e7f80' }) id: string;
  @ApiProperty({ example: 'clerk.r1' }) username: string;
  @ApiProperty({ example: 'مریم احمدی' }) fullName: string;
  @ApiProperty({ example: '0912***4567', nullable: true, type: String }) mobile: string | null;
  @ApiProperty({ enum: StaffRole, isArray: true, example: ['region_clerk'] }) roles: StaffRole[];
  @ApiProperty({ example: [1], type: [Number] }) regions: number[];
  @ApiProperty({ example: true }) active: boolean;
  @ApiProperty({ example: '2026-11-25T08:00:00.000Z', nullable: true, type: String }) lastLoginAt: string | null;
  @ApiProperty({ example: '2026-11-20T08:00:00.000Z' }) createdAt: string;
}

/** One page of staff accounts. */
export class StaffPageDto {
  @ApiProperty({ type: [StaffDto] }) items: StaffDto[];
  @ApiProperty({ type: PageMeta }) meta: PageMeta;
}

const REGION_IDS = [1, 2, 3];

export class CreateStaffDto {
  @ApiProperty({ example: 'clerk.r2', description: 'Lower-case letters, digits, dot, dash, underscore' })
  @IsString()
  @Matches(/^[a-zA-Z0-9._-]{3,64}$/, { message: 'username may use letters, digits, . _ - (3-64)' })
  @MaxChars(64)
  username: string;

  @ApiProperty({ example: 'a-long-initial-password', description: 'At least 10 characters; the user should change it' })
  @IsString()
  @MinLength(10)
  @MaxChars(256)
  password: string;

  @ApiProperty({ example: 'رضا کریمی' })
  @IsString()
  @MinLength(3)
  @MaxChars(120)
  fullName: string;

  @ApiPropertyOptional({ example: '09121234567', description: 'Required for roles with a second factor (admin, region_manager, finance_officer)' })
  @IsOptional()
  @IsString()
  @IsIranMobile()
  mobile?: string;

  @ApiProperty({ enum: StaffRole, isArray: true, example: ['region_clerk'] })
  @IsArray()
  @ArrayUnique()
  @MaxItems(5)
  @IsEnum(StaffRole, { each: true })
  roles: StaffRole[];

  @ApiPropertyOptional({ example: [2], type: 'array', items: { ...integerSchema(Math.min(...REGION_IDS), Math.max(...REGION_IDS)), enum: REGION_IDS }, description: 'Regions 1-3; required for every role except admin' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsInt({ each: true })
  @IsIn(REGION_IDS, { each: true })
  @MaxItems(REGION_IDS.length)
  regions?: number[];
}

export class UpdateStaffDto {
  @ApiPropertyOptional({ example: 'رضا کریمی' }) @IsOptional() @IsString() @MinLength(3) @MaxChars(120) fullName?: string;
  @ApiPropertyOptional({ example: '09121234567' }) @IsOptional() @IsString() @IsIranMobile() mobile?: string;
  @ApiPropertyOptional({ enum: StaffRole, isArray: true, example: ['region_manager'] })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsEnum(StaffRole, { each: true })
  @MaxItems(5)
  roles?: StaffRole[];
  @ApiPropertyOptional({ example: [1, 2], type: 'array', items: { ...integerSchema(Math.min(...REGION_IDS), Math.max(...REGION_IDS)), enum: REGION_IDS } })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsInt({ each: true })
  @IsIn(REGION_IDS, { each: true })
  @MaxItems(REGION_IDS.length)
  regions?: number[];
  @ApiPropertyOptional({ example: false, description: 'false disables the account and ends its sessions' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
  @ApiPropertyOptional({ example: 'a-new-long-password', description: 'Sets a new password and ends the account’s sessions' })
  @IsOptional()
  @IsString()
  @MinLength(10)
  @MaxChars(256)
  password?: string;
}
