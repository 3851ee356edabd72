import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayNotEmpty, ArrayUnique, IsArray, IsBoolean, IsEnum, IsIn, IsOptional, IsString, Matches, MinLength } from 'class-validator';
import { IsLegalId, MaxChars, MaxItems, PageMeta } from '@app/common';
import { OrganizationKind } from '../entities/organization.entity';

/** The kinds of organization, for other modules (the entity stays membership's). */
export { OrganizationKind };
import { OAUTH_SCOPES } from './citizen-auth.dto';

export class CreateOrganizationDto {
  @ApiProperty({ enum: OrganizationKind, example: 'bank' }) @IsEnum(OrganizationKind) kind: OrganizationKind;
  @ApiProperty({ example: 'بانک ملی ایران - شعبه مرکزی قزوین' }) @IsString() @MinLength(3) @MaxChars(200) name: string;
  @ApiProperty({ example: '10100302862', description: '11-digit legal national ID (شناسه ملی), checksum validated' })
  @IsString()
  @IsLegalId()
  legalNationalId: string;
  @ApiPropertyOptional({ example: '125', description: 'Notary office number (required for notaries)' })
  @IsOptional()
  @IsString()
  @Matches(/^\d{1,6}$/, { message: 'notaryOfficeNumber must be 1-6 digits' })
  @MaxChars(6)
  notaryOfficeNumber?: string;
}

export class UpdateOrganizationDto {
  @ApiPropertyOptional({ example: 'بانک ملی ایران - شعبه مرکزی قزوین' }) @IsOptional() @IsString() @MinLength(3) @MaxChars(200) name?: string;
  @ApiPropertyOptional({ example: false, description: 'false disables every client of the organization' }) @IsOptional() @IsBoolean() active?: boolean;
}

export class OrganizationDto {
  @ApiProperty({ example: '0193b0f4-8a5e-7c1d-9f2a-3b4c5d6e7f80' }) id: string;
  @ApiProperty({ enum: OrganizationKind, example: 'bank' }) kind: OrganizationKind;
  @ApiProperty({ example: 'بانک ملی ایران - شعبه مرکزی قزوین' }) name: string;
  @ApiProperty({ example: '10100302862' }) legalNationalId: string;
  @ApiProperty({ example: null, nullable: true, type: String }) notaryOfficeNumber: string | null;
  @ApiProperty({ example: true }) active: boolean;
  @ApiProperty({ example: '2026-11-25T08:00:00.000Z' }) createdAt: string;
}

/** One page of organizations. */
export class OrganizationPageDto {
  @ApiProperty({ type: [OrganizationDto] }) items: OrganizationDto[];
  @ApiProperty({ type: PageMeta }) meta: PageMeta;
}

export class CreateClientDto {
  @ApiProperty({ example: 'core-banking integration' }) @IsString() @MinLength(3) @MaxChars(120) name: string;
  @ApiProperty({ enum: OAUTH_SCOPES, isArray: true, example: ['inquiries:read', 'inquiries:write', 'certificates:verify'] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(OAUTH_SCOPES as unknown as string[], { each: true })
  @MaxItems(OAUTH_SCOPES.length)
  scopes: string[];
}

export class UpdateClientDto {
  @ApiPropertyOptional({ enum: OAUTH_SCOPES, isArray: true, example: ['inquiries:read'] })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(OAUTH_SCOPES as unknown as string[], { each: true })
  @MaxItems(OAUTH_SCOPES.length)
  scopes?: string[];
  @ApiPropertyOptional({ example: false }) @IsOptional() @IsBoolean() active?: boolean;
}

export class ApiClientDto {
  @ApiProperty({ example: 'qz_bank_7f3a9c2e41d0' }) clientId: string;
  @ApiProperty({ example: 'core-banking integration' }) name: string;
  @ApiProperty({ example: ['inquiries:read', 'inquiries:write'] }) scopes: string[];
  @ApiProperty({ example: true }) active: boolean;
  @ApiProperty({ example: '0193b0f4-8a5e-7c1d-9f2a-3b4c5d6e7f80' }) organizationId: string;
  @ApiProperty({ example: null, nullable: true, type: String, description: 'Until when the previous secret still works' })
  previousSecretValidUntil: string | null;
  @ApiProperty({ example: null, nullable: true, type: String }) lastUsedAt: string | null;
}

export class ApiClientSecretDto extends ApiClientDto {
  @ApiProperty({
    example: 'cs_Vb2…',
    description: 'Shown ONCE. Store it in your secret manager; the municipality keeps only a hash.',
  })
  clientSecret: string;
}

export class RegionDto {
  @ApiProperty({ example: 1 }) id: number;
  @ApiProperty({ example: 'منطقه یک' }) name: string;
  @ApiProperty({ example: ['02833338888'] }) deskPhones: string[];
  @ApiProperty({ example: 'قزوین، ...', nullable: true, type: String }) deskAddress: string | null;
  @ApiProperty({ example: 'شنبه تا چهارشنبه ۷:۳۰ تا ۱۴:۳۰', nullable: true, type: String }) deskHours: string | null;
}

export class UpdateRegionDto {
  @ApiPropertyOptional({ example: 'منطقه یک' }) @IsOptional() @IsString() @MinLength(2) @MaxChars(100) name?: string;
  @ApiPropertyOptional({ example: ['02833338888'], description: 'Service-desk phone numbers (digits)' })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  @Matches(/^0\d{9,11}$/, { each: true, message: 'each phone must be 10-12 digits starting with 0' })
  @MaxChars(12, { each: true })
  @MaxItems(10)
  deskPhones?: string[];
  @ApiPropertyOptional({ example: 'قزوین، خیابان ...' }) @IsOptional() @IsString() @MaxChars(300) deskAddress?: string;
  @ApiPropertyOptional({ example: 'شنبه تا چهارشنبه ۷:۳۰ تا ۱۴:۳۰' }) @IsOptional() @IsString() @MaxChars(200) deskHours?: string;
}

export class OrgWhoAmIDto {
  @ApiProperty({ type: OrganizationDto }) organization: OrganizationDto;
  @ApiProperty({ example: 'qz_bank_7f3a9c2e41d0' }) clientId: string;
  @ApiProperty({ example: ['inquiries:read'] }) scopes: string[];
}
