import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsBoolean, IsEnum, IsInt, IsNotEmpty, IsNumber, IsObject, IsOptional, IsString, Matches, ValidateIf, ValidateNested } from 'class-validator';
import { Between, integerSchema, IsCalendarDay, IsNationalId, MaxChars, MaxItems } from '@app/common';
import { normalizePostalCode, POSTAL_CODE_PATTERN } from '@app/iran';
import { CertificateKind } from '../entities/property-certificate.entity';
import { PropertyUse, StructureType } from '../entities/property.entity';

// ---------------------------------------------------------------------------- imports

export enum ImportKind {
  Parcels = 'parcels',
  Zones = 'zones',
  WideningPlans = 'widening-plans',
  Layers = 'layers',
}

export enum ImportMode {
  /** Every feature must be new; one already in the database is a `DUPLICATE`. */
  Insert = 'insert',
  /** Features already in the database are updated in place. */
  Upsert = 'upsert',
}

/** Why a feature was rejected (the `reason` of a rejection). */
export const IMPORT_REJECTION_REASONS = [
  'GEOMETRY_INVALID',
  'RENEWAL_CODE_INVALID',
  'DUPLICATE',
  'OWNER_SHARES_INVALID',
  'NATIONAL_ID_INVALID',
  'FIELD_INVALID',
] as const;
export type ImportRejectionReason = (typeof IMPORT_REJECTION_REASONS)[number];

export class ImportKindParam {
  @ApiProperty({ enum: ImportKind, example: ImportKind.Parcels })
  @IsEnum(ImportKind)
  kind: ImportKind;
}

const toBoolean = ({ value }: { value: unknown }) =>
  value === 'true' || value === '1' || value === true ? true : value === 'false' || value === '0' || value === false ? false : value;

export class ImportQuery {
  @ApiPropertyOptional({
    example: false,
    default: false,
    description: 'Validate everything (including the PostGIS checks) and answer the report, but write nothing',
  })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  dryRun?: boolean;

  @ApiPropertyOptional({
    enum: ImportMode,
    default: ImportMode.Insert,
    description:
      '`insert`: a feature whose key is already in the database is rejected (`DUPLICATE`). `upsert`: it is updated ' +
      '(parcels: attributes and geometry; owners and certificate history are replaced when the feature lists them).',
  })
  @IsOptional()
  @IsEnum(ImportMode)
  mode?: ImportMode;
}

export class ImportRejectionDto {
  @ApiProperty({ example: 3, description: 'Zero-based index of the feature in `features`' })
  index: number;
  @ApiPropertyOptional({ example: '1-2-34-56-0-0-0', description: 'The feature `id`, or its key (renewal code, zone code, name) when it has none' })
  id?: string;
  @ApiProperty({ enum: IMPORT_REJECTION_REASONS, example: 'GEOMETRY_INVALID' })
  reason: ImportRejectionReason;
  @ApiPropertyOptional({ example: 'geometry', description: 'The offending member, e.g. `properties.owners[1].nationalId`' })
  field?: string;
  @ApiProperty({ example: 'Self-intersection[50.0001 36.2701]' })
  message: string;
}

export class ImportResultDto {
  @ApiProperty({ enum: ImportKind, example: ImportKind.Parcels }) kind: ImportKind;
  @ApiProperty({ enum: ImportMode, example: ImportMode.Insert }) mode: ImportMode;
  @ApiProperty({ example: 5000, description: 'Features accepted (all of them: an import is all or nothing)' }) accepted: number;
  @ApiProperty({ example: 0 }) rejected: number;
  @ApiProperty({ example: 4990, description: 'Rows created (0 on a dry run)' }) inserted: number;
  @ApiProperty({ example: 10, description: 'Existing rows updated (upsert; 0 on a dry run)' }) updated: number;
  @ApiProperty({ example: false }) dryRun: boolean;
  @ApiProperty({ example: 'parcels.geojson' }) fileName: string;
  @ApiProperty({ example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' }) sha256: string;
  @ApiProperty({ example: 2140, description: 'Time spent, milliseconds' }) elapsedMs: number;
}

/** Body of the 422 `IMPORT_REJECTED` problem (besides the usual problem members). */
export class ImportRejectedProblemDto {
  @ApiProperty({ example: 'IMPORT_REJECTED' }) code: string;
  @ApiProperty({ enum: ImportKind }) kind: ImportKind;
  @ApiProperty({ example: 0 }) accepted: number;
  @ApiProperty({ example: 2, description: 'Features rejected (a feature can have several rejections)' }) rejected: number;
  @ApiProperty({ example: 5000 }) total: number;
  @ApiProperty({ example: false }) dryRun: boolean;
  @ApiProperty({ type: [ImportRejectionDto], description: 'Every rejection, in feature order (at most 10,000)' })
  rejections: ImportRejectionDto[];
  @ApiProperty({ example: false, description: 'True when there were more than 10,000 rejections' })
  rejectionsTruncated: boolean;
}

// ---------------------------------------------------------------------------- zones

/**
 * Upper bounds of zone-rule numbers, the calculators' own (src/modules/calculators/domain:
 * zone.ts and LIMITS), so every zone the registry accepts can be calculated.
 */
export const ZONE_LIMITS = {
  /** % (floor area over plot area). */
  densityPercent: 10_000,
  floors: 200,
  /** m² of one parcel. */
  plotArea: 1_000_000,
  /** m. */
  roadWidth: 500,
} as const;

export class ZoneBandDto {
  @ApiProperty({ example: 200, minimum: 0, maximum: ZONE_LIMITS.plotArea, description: 'm², inclusive' }) minPlotArea: number;
  @ApiProperty({ example: 300, nullable: true, type: Number, minimum: 0, maximum: ZONE_LIMITS.plotArea, description: 'm², exclusive; null = no upper bound' })
  maxPlotArea: number | null;
  @ApiProperty({ example: 12, minimum: 0, maximum: ZONE_LIMITS.roadWidth, description: 'm, inclusive' }) minRoadWidth: number;
  @ApiProperty({ example: 20, nullable: true, type: Number, minimum: 0, maximum: ZONE_LIMITS.roadWidth, description: 'm, exclusive; null = no upper bound' })
  maxRoadWidth: number | null;
  @ApiProperty({ example: 150, minimum: 0, maximum: ZONE_LIMITS.densityPercent }) densityPercent: number;
}

/** The most density bands a zone's rules may have (a detailed plan has a handful; checked by validateZoneRules). */
export const ZONE_MAX_BANDS = 100;

/**
 * Rules of a detailed-plan zone. Validated as a whole by the service (the same rules as
 * the zone import): numbers ≥ 0 and ≤ ZONE_LIMITS, occupancy ≤ 100, maxDensityPercent ≥ baseDensityPercent,
 * and the density bands tile plot area × road width without gaps or overlaps.
 */
export class ZoneRulesInputDto {
  // validateZoneRules refuses a repeated or unknown use: never more items than there are uses
  @ApiProperty({ enum: PropertyUse, isArray: true, maxItems: Object.values(PropertyUse).length, example: ['residential', 'educational'] })
  allowedUses: PropertyUse[];
  @ApiProperty({ example: 60, minimum: 0, maximum: 100 }) maxOccupancyPercent: number;
  @ApiProperty({ example: 120, minimum: 0, maximum: ZONE_LIMITS.densityPercent }) baseDensityPercent: number;
  @ApiProperty({ example: 180, minimum: 0, maximum: ZONE_LIMITS.densityPercent }) maxDensityPercent: number;
  @ApiProperty({ example: 3, ...integerSchema(0, ZONE_LIMITS.floors) }) maxFloors: number;
  @ApiProperty({ example: 200, minimum: 0, maximum: ZONE_LIMITS.plotArea }) minPlotArea: number;
  @ApiProperty({ example: { front: 2, back: 5, side: 0 } }) setbacks: { front: number; back: number; side: number };
  @ApiProperty({
    type: [ZoneBandDto],
    maxItems: ZONE_MAX_BANDS,
    example: [
      { minPlotArea: 0, maxPlotArea: 300, minRoadWidth: 0, maxRoadWidth: 12, densityPercent: 120 },
      { minPlotArea: 0, maxPlotArea: 300, minRoadWidth: 12, maxRoadWidth: null, densityPercent: 140 },
      { minPlotArea: 300, maxPlotArea: null, minRoadWidth: 0, maxRoadWidth: 12, densityPercent: 150 },
      { minPlotArea: 300, maxPlotArea: null, minRoadWidth: 12, maxRoadWidth: null, densityPercent: 180 },
    ],
  })
  bands: ZoneBandDto[];
  @ApiProperty({ example: { perUnit: 1, perCommercialM2: 75 } }) parkingRule: { perUnit: number; perCommercialM2: number };
}

export class UpdateZoneDto {
  @ApiPropertyOptional({ example: 'مسکونی کم‌تراکم' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxChars(200)
  name?: string;

  @ApiPropertyOptional({ type: ZoneRulesInputDto, description: 'The complete rules (replaces the current rules)' })
  @IsOptional()
  @IsObject()
  rules?: ZoneRulesInputDto;

  @ApiPropertyOptional({ example: 'طرح تفصیلی شهر قزوین' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxChars(200)
  planName?: string;

  @ApiPropertyOptional({ example: '1396/05/10', description: 'Approval date of the plan: Jalali 1396/05/10 (or 1396-05-10, Persian digits too) or Gregorian 2017-08-01; stored as Jalali YYYY/MM/DD' })
  @IsOptional()
  @IsCalendarDay({ as: 'jalali' })
  approvalDate?: string;
}

export class ZoneAdminDto {
  @ApiProperty({ example: 'R-1' }) code: string;
  @ApiProperty({ example: 'مسکونی کم‌تراکم' }) name: string;
  @ApiProperty({ type: ZoneRulesInputDto }) rules: ZoneRulesInputDto;
  @ApiProperty({ example: 'طرح تفصیلی شهر قزوین' }) planName: string;
  @ApiProperty({ example: '1396/05/10' }) approvalDate: string;
  @ApiProperty({ example: '2026-11-25T10:00:00.000Z' }) updatedAt: string;
}

// ---------------------------------------------------------------------------- properties

/** `null` clears an optional member; absent members are left as they are. */
export class UpdatePropertyDto {
  @ApiPropertyOptional({ example: 'قزوین، منطقه ۱، خیابان شهید بابایی، کوچه ۱۲، پلاک ۵۶' })
  @ValidateIf((o: UpdatePropertyDto) => o.address !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxChars(500)
  address?: string;

  @ApiPropertyOptional({ example: '3413645185', nullable: true, type: String, description: '10 digits; dashes and spaces are dropped' })
  @ValidateIf((o: UpdatePropertyDto) => o.postalCode !== undefined && o.postalCode !== null)
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? (normalizePostalCode(value) ?? value) : value))
  @IsString()
  @Matches(POSTAL_CODE_PATTERN, { message: 'postalCode must be a valid 10-digit Iranian postal code' })
  @MaxChars(10)
  postalCode?: string | null;

  @ApiPropertyOptional({ example: '1234', nullable: true, type: String, description: 'Registration plate, main number' })
  @ValidateIf((o: UpdatePropertyDto) => o.plateMain !== undefined && o.plateMain !== null)
  @IsString()
  @IsNotEmpty()
  @MaxChars(20)
  plateMain?: string | null;

  @ApiPropertyOptional({ example: '56', nullable: true, type: String, description: 'Registration plate, sub number' })
  @ValidateIf((o: UpdatePropertyDto) => o.plateSub !== undefined && o.plateSub !== null)
  @IsString()
  @IsNotEmpty()
  @MaxChars(20)
  plateSub?: string | null;

  @ApiPropertyOptional({ example: 250.5, description: 'Land area in the deed (m², > 0)' })
  @ValidateIf((o: UpdatePropertyDto) => o.landArea !== undefined)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Between(0.01, 10_000_000)
  landArea?: number;

  @ApiPropertyOptional({ example: 420, description: 'Building area (m²)' })
  @ValidateIf((o: UpdatePropertyDto) => o.buildingArea !== undefined)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Between(0, 10_000_000)
  buildingArea?: number;

  @ApiPropertyOptional({ enum: PropertyUse, example: PropertyUse.Residential })
  @ValidateIf((o: UpdatePropertyDto) => o.use !== undefined)
  @IsEnum(PropertyUse)
  use?: PropertyUse;

  @ApiPropertyOptional({ example: 3 })
  @ValidateIf((o: UpdatePropertyDto) => o.floors !== undefined)
  @IsInt()
  @Between(0, 200)
  floors?: number;

  @ApiPropertyOptional({ example: 3 })
  @ValidateIf((o: UpdatePropertyDto) => o.units !== undefined)
  @IsInt()
  @Between(0, 10_000)
  units?: number;

  @ApiPropertyOptional({ example: 1392, nullable: true, type: Number, description: 'Jalali year of construction' })
  @ValidateIf((o: UpdatePropertyDto) => o.constructionYear !== undefined && o.constructionYear !== null)
  @IsInt()
  @Between(1200, 1500)
  constructionYear?: number | null;

  @ApiPropertyOptional({ enum: StructureType, example: StructureType.Concrete })
  @ValidateIf((o: UpdatePropertyDto) => o.structureType !== undefined)
  @IsEnum(StructureType)
  structureType?: StructureType;

  @ApiPropertyOptional({ example: 12, nullable: true, type: Number, description: 'Access road width (m)' })
  @ValidateIf((o: UpdatePropertyDto) => o.accessRoadWidth !== undefined && o.accessRoadWidth !== null)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Between(0, 500)
  accessRoadWidth?: number | null;

  @ApiPropertyOptional({ example: 10, nullable: true, type: Number, description: 'Frontage (m)' })
  @ValidateIf((o: UpdatePropertyDto) => o.frontage !== undefined && o.frontage !== null)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Between(0, 10_000)
  frontage?: number | null;

  @ApiPropertyOptional({ example: 'R-2', nullable: true, type: String, description: 'Detailed-plan zone code as recorded' })
  @ValidateIf((o: UpdatePropertyDto) => o.zoneCode !== undefined && o.zoneCode !== null)
  @IsString()
  @IsNotEmpty()
  @MaxChars(32)
  zoneCode?: string | null;
}

export class OwnerInputDto {
  @ApiProperty({ example: '0012345679', description: '10-digit national ID (checksum verified)' })
  @IsNationalId()
  nationalId: string;

  @ApiProperty({ example: 'علی محمدی' })
  @IsString()
  @IsNotEmpty()
  @MaxChars(200)
  fullName: string;

  @ApiProperty({ example: 50, description: 'Percent of six dang, > 0; all owners together exactly 100' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Between(0.0001, 100)
  sharePercent: number;
}

export class ReplaceOwnersDto {
  @ApiProperty({
    type: [OwnerInputDto],
    description: 'The complete list of owners (replaces the current one); shares add up to 100',
    example: [
      { nationalId: '0012345679', fullName: 'علی محمدی', sharePercent: 50 },
      { nationalId: '0499370899', fullName: 'زهرا احمدی', sharePercent: 50 },
    ],
  })
  @IsArray()
  @ArrayMinSize(1)
  @MaxItems(200)
  @ValidateNested({ each: true })
  @Type(() => OwnerInputDto)
  owners: OwnerInputDto[];
}

export class CertificateInputDto {
  @ApiProperty({ enum: CertificateKind, example: CertificateKind.Transfer })
  @IsEnum(CertificateKind)
  kind: CertificateKind;

  @ApiProperty({ example: '1402001234', description: 'Request number (unique across the city)' })
  @IsString()
  @Matches(/^[0-9A-Za-z][0-9A-Za-z/-]{0,39}$/, { message: 'requestNumber must be 1-40 letters, digits, / or -' })
  @MaxChars(40)
  requestNumber: string;

  @ApiProperty({ example: 1402, description: 'Jalali year of the request' })
  @IsInt()
  @Between(1300, 1500)
  jalaliYear: number;

  @ApiProperty({ example: '2023-07-12', description: 'Issue date: Jalali 1402/04/21 (or 1402-04-21, Persian digits too) or Gregorian 2023-07-12; stored as Gregorian YYYY-MM-DD' })
  @IsCalendarDay()
  issueDate: string;
}

export class OwnerDto {
  @ApiProperty({ example: '0012345679', description: 'Full national ID (staff of the region only)' }) nationalId: string;
  @ApiProperty({ example: 'علی محمدی' }) fullName: string;
  @ApiProperty({ example: 100 }) sharePercent: number;
}

export class CertificateDto {
  @ApiProperty({ enum: CertificateKind, example: CertificateKind.Transfer }) kind: CertificateKind;
  @ApiProperty({ example: '1402001234' }) requestNumber: string;
  @ApiProperty({ example: 1402 }) jalaliYear: number;
  @ApiProperty({ example: '2023-07-12', description: 'Gregorian issue date' }) issueDate: string;
}

/** A property as the admin screens show it: every editable member, owners and certificate history. */
export class PropertyAdminDto {
  @ApiProperty({ example: '1-2-34-56-0-0-0' }) renewalCode: string;
  @ApiProperty({ example: 1 }) region: number;
  @ApiProperty({ example: 'قزوین، منطقه ۱، خیابان شهید بابایی، کوچه ۱۲، پلاک ۵۶' }) address: string;
  @ApiProperty({ example: '3413645185', nullable: true, type: String }) postalCode: string | null;
  @ApiProperty({ example: '1234', nullable: true, type: String }) plateMain: string | null;
  @ApiProperty({ example: '56', nullable: true, type: String }) plateSub: string | null;
  @ApiProperty({ example: 250.5 }) landArea: number;
  @ApiProperty({ example: 420 }) buildingArea: number;
  @ApiProperty({ enum: PropertyUse, example: PropertyUse.Residential }) use: PropertyUse;
  @ApiProperty({ example: 3 }) floors: number;
  @ApiProperty({ example: 3 }) units: number;
  @ApiProperty({ example: 1392, nullable: true, type: Number }) constructionYear: number | null;
  @ApiProperty({ enum: StructureType, example: StructureType.Concrete }) structureType: StructureType;
  @ApiProperty({ example: 12, nullable: true, type: Number }) accessRoadWidth: number | null;
  @ApiProperty({ example: 10, nullable: true, type: Number }) frontage: number | null;
  @ApiProperty({ example: 'R-2', nullable: true, type: String }) zoneCode: string | null;
  @ApiProperty({ type: [OwnerDto] }) owners: OwnerDto[];
  @ApiProperty({ type: [CertificateDto], description: 'Oldest first' }) certificates: CertificateDto[];
  @ApiProperty({ example: '2026-11-25T10:00:00.000Z' }) updatedAt: string;
}
