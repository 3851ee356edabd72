import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNumber, IsObject, IsOptional, IsString, Matches, ValidateNested } from 'class-validator';
import { Between, integerSchema, MaxChars } from '@app/common';
import { JALALI_YEAR_RANGE } from '@app/iran';
import { BUILDING_USES, CALCULATOR_YEAR_RANGE, LIMITS } from '../domain';
import type { BuildingUse, ZoneRulesInput } from '../domain';

/** A zone shaped like the demo city's R-2 (detailed-plan rules), for explicit-input examples. */
export const EXAMPLE_ZONE: ZoneRulesInput = {
  allowedUses: ['residential', 'office', 'educational', 'health', 'green'],
  maxOccupancyPercent: 60,
  baseDensityPercent: 180,
  maxDensityPercent: 300,
  maxFloors: 5,
  minPlotArea: 150,
  setbacks: { front: 0, back: 4, side: 0 },
  bands: [
    { minPlotArea: 0, maxPlotArea: 200, minRoadWidth: 0, maxRoadWidth: 12, densityPercent: 180 },
    { minPlotArea: 0, maxPlotArea: 200, minRoadWidth: 12, maxRoadWidth: null, densityPercent: 220 },
    { minPlotArea: 200, maxPlotArea: null, minRoadWidth: 0, maxRoadWidth: 12, densityPercent: 200 },
    { minPlotArea: 200, maxPlotArea: null, minRoadWidth: 12, maxRoadWidth: null, densityPercent: 240 },
  ],
  parkingRule: { perUnit: 1, perCommercialM2: 75 },
};

export const EXAMPLE_RENEWAL_CODE = '1-2-34-56-0-0-0';
export const EXAMPLE_REGIONAL_VALUE = 24_000_000;

/**
 * Documented ranges of the calculators' numbers: exactly the bounds their input checks
 * enforce (domain/numbers.ts LIMITS), which answer `CALC_INPUT_INVALID` with a coded field
 * error (`NOT_POSITIVE`, `NEGATIVE`, `TOO_LARGE`) rather than the pipe's VALIDATION_FAILED.
 */
export const POSITIVE = (max: number) => ({ minimum: 0, exclusiveMinimum: true, maximum: max });
export const NON_NEGATIVE = (max: number) => ({ minimum: 0, maximum: max });
export const WHOLE = (max: number, min = 0) => integerSchema(min, max);

const SOURCE_DOC =
  'Two input modes. **By renewal code** (`renewalCode`, optional `region` that must match it): the parcel’s net area after ' +
  'street widening (parcel geometry area − area in widening plans, by PostGIS), zone rules (zone polygon containing the ' +
  'parcel), access-road width, registered use and the regional land value of its block for the year (billing’s per-block ' +
  'value, else the year’s default) are read from the data; any of those fields sent alongside wins over the data (the ' +
  'answer’s `inputs.sources` says where each value came from). **Explicit**: send the fields yourself (no renewal code). ' +
  'Ranges are checked by the calculator: zero, negative or huge values answer `CALC_INPUT_INVALID` (400) with one field ' +
  'error per field; a missing value answers `CALC_INPUT_INVALID` with code `REQUIRED`.';

export class LastPermitDto {
  @ApiProperty({ example: 432, ...POSITIVE(LIMITS.grossArea), description: 'Gross area counted in density on the permit (m²)' })
  @IsNumber()
  grossArea: number;

  @ApiProperty({ example: 240, ...POSITIVE(LIMITS.area), description: 'Plot area the permit was issued on (m²)' })
  @IsNumber()
  plotArea: number;

  @ApiPropertyOptional({ example: 3, ...WHOLE(LIMITS.floors) }) @IsOptional() @IsInt() floors?: number;
  @ApiPropertyOptional({ example: 1398, description: 'Jalali year of the permit' })
  @IsOptional()
  @IsInt()
  @Between(JALALI_YEAR_RANGE.min, JALALI_YEAR_RANGE.max, { integer: true })
  jalaliYear?: number;
  @ApiPropertyOptional({ example: '98/1234', description: 'Permit or request number' }) @IsOptional() @IsString() @MaxChars(40) number?: string;
}

/** The parcel part shared by every calculator (renewal code or explicit values). */
export class ParcelSourceDto {
  @ApiPropertyOptional({
    example: EXAMPLE_RENEWAL_CODE,
    description: 'Renewal code (کد نوسازی): seven numeric parts separated by -, /, . or spaces; Persian digits accepted. ' + SOURCE_DOC,
  })
  @IsOptional()
  @IsString()
  @MaxChars(60)
  renewalCode?: string;

  @ApiPropertyOptional({ example: 1, description: 'Region (منطقه) the user selected; must match the renewal code (`REGION_MISMATCH`)' })
  @IsOptional()
  @IsInt()
  @Between(1, 9)
  region?: number;

  @ApiPropertyOptional({ example: 1405, description: 'Jalali year of the tariff book and regional value; default the current Jalali year (Asia/Tehran)' })
  @IsOptional()
  @IsInt()
  @Between(CALCULATOR_YEAR_RANGE.min, CALCULATOR_YEAR_RANGE.max)
  jalaliYear?: number;

  @ApiPropertyOptional({
    example: 250,
    ...POSITIVE(LIMITS.area),
    description: `Net plot area after street widening (m², > 0, ≤ ${LIMITS.area}); with a renewal code, read from the data`,
  })
  @IsOptional()
  @IsNumber()
  netArea?: number;

  @ApiPropertyOptional({ example: 12, ...POSITIVE(LIMITS.roadWidth), description: `Access-road width (m, > 0, ≤ ${LIMITS.roadWidth}); with a renewal code, read from the data` })
  @IsOptional()
  @IsNumber()
  accessRoadWidth?: number;

  @ApiPropertyOptional({
    example: EXAMPLE_ZONE,
    description:
      'Zone rules of the detailed plan (same shape as `GET /properties/{renewalCode}/zoning` → `rules`); bands are [min, max) ' +
      'ranges of plot area (m²) and access-road width (m). Invalid rules answer `CALC_ZONE_RULES_INVALID`.',
  })
  @IsOptional()
  @IsObject()
  zone?: ZoneRulesInput;

  @ApiPropertyOptional({ example: 'R-2', description: 'Zone code shown in the breakdown’s rule names (explicit mode)' })
  @IsOptional()
  @IsString()
  @Matches(/^[\p{L}\p{N}._-]{1,20}$/u)
  @MaxChars(20)
  zoneCode?: string;

  @ApiPropertyOptional({
    enum: BUILDING_USES,
    example: 'residential',
    description: 'Use of the planned building; with a renewal code default the registered use. Must be allowed in the zone (`CALC_USE_NOT_ALLOWED`, 422).',
  })
  @IsOptional()
  @IsIn(BUILDING_USES)
  use?: BuildingUse;
}

/** Parcel part plus the regional value (fee calculators). */
export class FeeSourceDto extends ParcelSourceDto {
  @ApiPropertyOptional({
    example: EXAMPLE_REGIONAL_VALUE,
    ...POSITIVE(LIMITS.regionalValue),
    type: 'integer',
    format: 'int64',
    description:
      `Regional land value (ارزش منطقه‌ای), whole Rials per m² (> 0, ≤ ${LIMITS.regionalValue}); with a renewal code, billing’s value ` +
      'of the parcel’s block for the year, else the year’s default land value',
  })
  @IsOptional()
  @IsInt()
  regionalValue?: number;
}

export class AllowedDensityRequestDto extends ParcelSourceDto {
  @ApiPropertyOptional({ example: 4, ...WHOLE(LIMITS.units), description: 'Residential units planned (parking requirement); default 0' })
  @IsOptional()
  @IsInt()
  units?: number;

  @ApiPropertyOptional({ example: 0, ...NON_NEGATIVE(LIMITS.grossArea), description: 'Commercial floor area planned (m², parking requirement); default 0' })
  @IsOptional()
  @IsNumber()
  commercialArea?: number;

  @ApiPropertyOptional({
    type: LastPermitDto,
    description: 'The last building permit (approved density). With a renewal code, default the registered building on the deed land area, when one is recorded.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => LastPermitDto)
  lastPermit?: LastPermitDto;
}

export class FloorAreasRequestDto extends ParcelSourceDto {
  @ApiProperty({ example: 4, ...WHOLE(LIMITS.floors, 1), description: 'Habitable storeys above ground (the ground floor included unless on pilotis), integer 1…200' })
  @IsInt()
  floors: number;

  @ApiPropertyOptional({ example: true, description: 'A ground-level parking storey (پیلوت) under the habitable floors; default false' })
  @IsOptional()
  @IsBoolean()
  pilotis?: boolean;

  @ApiPropertyOptional({ example: 1, ...WHOLE(LIMITS.basements), description: 'Basement storeys, integer 0…10; default 0' })
  @IsOptional()
  @IsInt()
  basements?: number;

  @ApiPropertyOptional({ example: 60, ...POSITIVE(100), description: 'Requested occupancy % (≤ the zone’s maximum); default the zone’s maximum' })
  @IsOptional()
  @IsNumber()
  occupancyPercent?: number;

  @ApiPropertyOptional({ example: true, description: 'Roof structure (خرپشته); default true' })
  @IsOptional()
  @IsBoolean()
  roofStructure?: boolean;
}

export class DensityFeeRequestDto extends FeeSourceDto {
  @ApiProperty({
    example: 600,
    ...POSITIVE(LIMITS.grossArea),
    description: 'Requested gross area counted in density (m²), e.g. `totals.densityArea` of the floor-areas calculator; above the zone’s maximum density → `CALC_DENSITY_ABOVE_MAXIMUM` (422)',
  })
  @IsNumber()
  requestedGrossArea: number;
}

export class BuildingFeeRequestDto extends FeeSourceDto {
  @ApiProperty({ example: 750, ...POSITIVE(LIMITS.grossArea), description: 'Gross area of the building, all storeys (m²)' })
  @IsNumber()
  grossArea: number;

  @ApiPropertyOptional({ example: 4, ...WHOLE(LIMITS.units), description: 'Residential units (parking requirement); default 0' })
  @IsOptional()
  @IsInt()
  units?: number;

  @ApiPropertyOptional({ example: 0, ...NON_NEGATIVE(LIMITS.grossArea), description: 'Commercial floor area (m², parking requirement); default 0' })
  @IsOptional()
  @IsNumber()
  commercialArea?: number;

  @ApiPropertyOptional({ example: 3, ...WHOLE(LIMITS.spaces), description: 'Parking spaces the design provides; default 0. Missing spaces pay the parking-deficit fee.' })
  @IsOptional()
  @IsInt()
  parkingProvided?: number;
}

/** Swagger request examples: one per input mode. */
export function bodyExamples(extra: Record<string, unknown>, explicitExtra: Record<string, unknown> = {}) {
  return {
    renewalCode: {
      summary: 'By renewal code (data read from the registry, billing and zoning)',
      value: { renewalCode: EXAMPLE_RENEWAL_CODE, region: 1, ...extra },
    },
    explicit: {
      summary: 'Explicit inputs',
      value: { netArea: 250, accessRoadWidth: 12, zone: EXAMPLE_ZONE, zoneCode: 'R-2', use: 'residential', jalaliYear: 1405, ...explicitExtra, ...extra },
    },
  };
}
