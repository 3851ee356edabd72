import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, Matches, MinLength } from 'class-validator';
import { IsCalendarDay, IsIranMobile, IsNationalId, MaxChars } from '@app/common';

export class OtpRequestDto {
  @ApiProperty({ example: '۰۹۱۲۱۲۳۴۵۶۷', description: 'Mobile number; +98…, 0098…, 9… and Persian digits are accepted' })
  @IsString()
  @IsIranMobile()
  mobile: string;
}

export class OtpRequestedDto {
  @ApiProperty({ example: 120, description: 'Seconds the code stays valid' })
  expiresInSeconds: number;
  @ApiProperty({ example: 60, description: 'Seconds before another code may be requested' })
  resendAfterSeconds: number;
}

export class OtpVerifyDto {
  @ApiProperty({ example: '09121234567' })
  @IsString()
  @IsIranMobile()
  mobile: string;

  @ApiProperty({ example: '۴۸۲۹۱۷', description: 'The 6-digit code from the SMS (Persian digits accepted)' })
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  @MaxChars(6)
  code: string;
}

export class TokenPairDto {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…', description: 'Bearer access token (short-lived)' })
  accessToken: string;
  @ApiProperty({ example: 'Bearer' })
  tokenType: 'Bearer';
  @ApiProperty({ example: 900, description: 'Seconds until the access token expires' })
  expiresIn: number;
  @ApiProperty({ example: 'rt_4f1Yp…', description: 'Rotating refresh token (POST /api/v1/auth/refresh); keep it secret' })
  refreshToken: string;
}

export class OtpVerifiedDto {
  @ApiProperty({ enum: ['authenticated', 'registration_required'], example: 'registration_required' })
  status: 'authenticated' | 'registration_required';
  @ApiPropertyOptional({ description: 'For members' }) accessToken?: string;
  @ApiPropertyOptional({ description: 'For members' }) refreshToken?: string;
  @ApiPropertyOptional({ example: 900, description: 'For members' }) expiresIn?: number;
  @ApiPropertyOptional({ example: 'Bearer' }) tokenType?: 'Bearer';
  @ApiPropertyOptional({
    description: 'For new numbers: pass to POST /api/v1/auth/register within 15 minutes',
    example: 'eyJhbGciOiJIUzI1NiJ9…',
  })
  registrationToken?: string;
}

export class RegisterDto {
  @ApiProperty({ description: 'From POST /api/v1/auth/otp/verify' })
  @IsString()
  @MinLength(10)
  @MaxChars(1024)
  registrationToken: string;

  @ApiProperty({ example: '0499370899', description: '10-digit national ID (کد ملی); checksum validated' })
  @IsString()
  @IsNationalId()
  nationalId: string;

  @ApiProperty({ example: 'علی' })
  @IsString()
  @MinLength(2) @MaxChars(60)
  firstName: string;

  @ApiProperty({ example: 'محمدی' })
  @IsString()
  @MinLength(2) @MaxChars(80)
  lastName: string;

  @ApiProperty({ example: 'حسن', description: 'Father’s name (نام پدر)' })
  @IsString()
  @MinLength(2) @MaxChars(60)
  fatherName: string;

  @ApiProperty({ example: '1370/06/31', description: 'Birth date: Jalali 1370/06/31 (or 1370-06-31, Persian digits too) or Gregorian 1991-09-22; checked against the civil registry as Jalali YYYY/MM/DD' })
  @IsCalendarDay({ as: 'jalali' })
  birthDate: string;
}

export class IdentityStatusDto {
  @ApiProperty({ example: false, description: 'Owner-scoped services (inquiries, property search, payment histories, answers, consent) need true' })
  verified: boolean;
  @ApiProperty({ example: null, nullable: true, type: String, description: 'When it was verified' })
  verifiedAt: string | null;
  @ApiProperty({ example: 'registry', nullable: true, enum: ['registry', 'desk'], description: 'null while unverified; `registry`: the mobile-ownership and civil registries; `desk`: in person at a region service desk' })
  method: 'registry' | 'desk' | null;
  @ApiProperty({
    example: 'verify',
    nullable: true,
    enum: ['verify'],
    description: '`verify`: the member must verify their identity — POST /api/v1/me/identity/verify (checks the mobile and the profile against the registries; correct names with PATCH /api/v1/me first) or a region service desk with the national ID card. null when verified.',
  })
  nextStep: 'verify' | null;
}

export class CitizenProfileDto {
  @ApiProperty({ example: '0193b0f4-8a5e-7c1d-9f2a-3b4c5d6e7f80' }) id: string;
  @ApiProperty({ example: '09121234567' }) mobile: string;
  @ApiProperty({ example: '0499370899' }) nationalId: string;
  @ApiProperty({ example: 'علی' }) firstName: string;
  @ApiProperty({ example: 'محمدی' }) lastName: string;
  @ApiProperty({ example: 'حسن' }) fatherName: string;
  @ApiProperty({ example: '1370/06/31' }) birthDate: string;
  @ApiProperty({ example: 'ali@example.com', nullable: true, type: String }) email: string | null;
  @ApiProperty({ example: '2026-11-25T12:00:00.000Z' }) createdAt: string;
  @ApiProperty({ type: IdentityStatusDto, description: 'Identity verification; `nextStep: "verify"` says what to do' }) identity: IdentityStatusDto;
}

export class RegisteredDto extends TokenPairDto {
  @ApiProperty({ type: CitizenProfileDto }) profile: CitizenProfileDto;
}

export class UpdateProfileDto {
  @ApiPropertyOptional({ example: 'علی' }) @IsOptional() @IsString() @MinLength(2) @MaxChars(60) firstName?: string;
  @ApiPropertyOptional({ example: 'محمدی' }) @IsOptional() @IsString() @MinLength(2) @MaxChars(80) lastName?: string;
  @ApiPropertyOptional({ example: 'حسن' }) @IsOptional() @IsString() @MinLength(2) @MaxChars(60) fatherName?: string;
  @ApiPropertyOptional({ example: 'ali@example.com' }) @IsOptional() @IsEmail() @MaxChars(200) email?: string;
  @ApiPropertyOptional({
    example: '09351234567',
    description: 'Not accepted here: a request carrying it is refused with `MOBILE_CHANGE_NOT_HERE` (400). Change the mobile with POST /api/v1/me/mobile, then POST /api/v1/me/mobile/confirm.',
  })
  @IsOptional()
  @IsString()
  @MaxChars(20)
  mobile?: string;
}

export class MobileChangeRequestDto {
  @ApiProperty({
    example: '09351234567',
    description: 'The new mobile number (+98…, 0098…, 9… and Persian digits accepted). It must be registered to your national ID in the mobile-ownership registry (Shahkar); the code goes to it.',
  })
  @IsString()
  @IsIranMobile()
  mobile: string;
}

export class MobileChangeConfirmDto extends OtpVerifyDto {}

export class MobileChangedDto extends RegisteredDto {}

export class RefreshDto {
  @ApiProperty({ example: 'rt_4f1Yp…' })
  @IsString()
  @MinLength(20)
  @MaxChars(200)
  refreshToken: string;
}

export class SecondFactorDto {
  @ApiProperty({ example: '0193b0f4-8a5e-7c1d-9f2a-3b4c5d6e7f80', description: 'From the login answer' })
  @IsString()
  @MinLength(36) @MaxChars(36)
  challengeId: string;

  @ApiProperty({ example: '482917' })
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  @MaxChars(6)
  code: string;
}

export const OAUTH_SCOPES = ['inquiries:read', 'inquiries:write', 'certificates:verify', 'bills:report', 'webhooks:manage'] as const;
export type OAuthScope = (typeof OAUTH_SCOPES)[number];

export class TokenRequestDto {
  @ApiProperty({ example: 'client_credentials', enum: ['client_credentials'] })
  @IsString()
  @IsIn(['client_credentials'], { message: 'grant_type must be client_credentials' })
  grant_type: string;

  @ApiPropertyOptional({ example: 'qz_demo_bank_1a2b3c', description: 'Or use HTTP Basic authentication' })
  @IsOptional()
  @IsString()
  @MaxChars(100)
  client_id?: string;

  @ApiPropertyOptional({ example: 'cs_…', description: 'Or use HTTP Basic authentication' })
  @IsOptional()
  @IsString()
  @MaxChars(200)
  client_secret?: string;

  @ApiPropertyOptional({ example: 'inquiries:read inquiries:write', description: 'Space-separated subset of the granted scopes' })
  @IsOptional()
  @IsString()
  @MaxChars(500)
  scope?: string;
}

export class OAuthTokenDto {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…' }) access_token: string;
  @ApiProperty({ example: 'Bearer' }) token_type: 'Bearer';
  @ApiProperty({ example: 1800 }) expires_in: number;
  @ApiProperty({ example: 'inquiries:read inquiries:write' }) scope: string;
}

export class CitizenAccountDto extends CitizenProfileDto {
  @ApiProperty({ example: true, description: 'false: the member can neither sign in nor use a token issued before' }) active: boolean;
}

export class FindCitizenQueryDto {
  @ApiPropertyOptional({ example: '09121234567', description: 'Mobile number (one of mobile, nationalId)' })
  @IsOptional()
  @IsString()
  @IsIranMobile()
  mobile?: string;

  @ApiPropertyOptional({ example: '0499370899', description: 'National ID (one of mobile, nationalId)' })
  @IsOptional()
  @IsString()
  @IsNationalId()
  nationalId?: string;
}

export class UpdateCitizenAccountDto {
  @ApiProperty({ example: false, description: 'false deactivates the member: its sessions and access tokens end at once' })
  @IsBoolean()
  active: boolean;
}
