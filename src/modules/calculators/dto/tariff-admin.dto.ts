import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNumber, IsObject, IsOptional, IsString, MinLength, ValidateNested } from 'class-validator';
import { MaxChars } from '@app/common';
import { BUILDING_USES, DEFAULT_TARIFFS_1405, LIMITS } from '../domain';
import type { BuildingUse, TariffTables, ZoneRulesInput } from '../domain';
import { BuildingFeeResultDto, DensityFeeResultDto, FloorAreasResultDto, TariffRefDto } from './calculator-result.dto';
import { EXAMPLE_REGIONAL_VALUE, EXAMPLE_ZONE, POSITIVE, WHOLE } from './calculator-request.dto';

const TABLES_DOC =
  'The whole tariff and coefficient tables of the year (the tariff book). Formulas are code; these are data only. ' +
  'Validated as one document (`TARIFF_TABLES_INVALID`, 400, with one coded field error per problem): bands [from, to) sorted, ' +
  'starting at 0, without gaps or overlaps, only the last open (`to: null`); coefficients ≥ 0 with at most 3 decimals; ' +
  'Rials-per-m² rates whole; every use covered by the density-fee table and the parking-deficit coefficients; ' +
  '`jalaliYear` equal to the year in the path. Units: density-fee bands are density percentage points above the base ' +
  '(rate × regional value per m²); permit-fee bands are m² of gross area (basis `regionalValue`: coefficient × regional ' +
  'value; basis `rialsPerM2`: whole Rials per m²).';

export class CalculatorTariffVersionDto {
  @ApiProperty({ example: '01937a5e-8a4c-7cc1-9f1e-2b7d3c4a5e6f' }) id: string;
  @ApiProperty({ example: 1405 }) jalaliYear: number;
  @ApiProperty({ example: 2, description: 'Versions of a year count from 1; the newest is current' }) version: number;
  @ApiProperty({ example: 'مصوبه شورای اسلامی شهر شماره ۱۲۳' }) note: string;
  @ApiProperty({ example: '2026-11-25T10:00:00.000Z' }) createdAt: string;
}

export class CalculatorTariffDto extends CalculatorTariffVersionDto {
  @ApiProperty({ example: DEFAULT_TARIFFS_1405, description: TABLES_DOC }) tables: TariffTables;
}

export class CalculatorTariffYearDto {
  @ApiProperty({ example: 1405 }) jalaliYear: number;
  @ApiProperty({ type: CalculatorTariffDto, description: 'The current (newest) version with its tables' }) current: CalculatorTariffDto;
  @ApiProperty({ type: [CalculatorTariffVersionDto], description: 'Every version of the year, newest first' }) versions: CalculatorTariffVersionDto[];
}

export class UpdateCalculatorTariffDto {
  @ApiProperty({ example: 'مصوبه شورای اسلامی شهر شماره ۱۲۳', description: 'Why (resolution number, ...); kept with the version and in the audit log' })
  @IsString()
  @MinLength(1)
  @MaxChars(500)
  note: string;

  @ApiProperty({ example: DEFAULT_TARIFFS_1405, description: TABLES_DOC })
  @IsObject()
  tables: TariffTables;
}

export class TariffSampleDto {
  @ApiPropertyOptional({ example: '1-2-34-56-0-0-0', description: 'Take the parcel values (net area, zone, road, use, regional value) from this property' })
  @IsOptional()
  @IsString()
  @MaxChars(60)
  renewalCode?: string;

  @ApiPropertyOptional({ example: 250, ...POSITIVE(LIMITS.area), description: 'Net plot area (m²); default 250' }) @IsOptional() @IsNumber() netArea?: number;
  @ApiPropertyOptional({ example: 12, ...POSITIVE(LIMITS.roadWidth), description: 'Access-road width (m); default 12' }) @IsOptional() @IsNumber() accessRoadWidth?: number;
  @ApiPropertyOptional({ example: EXAMPLE_ZONE, description: 'Zone rules; default an R-2-like zone' }) @IsOptional() @IsObject() zone?: ZoneRulesInput;
  @ApiPropertyOptional({ enum: BUILDING_USES, example: 'residential', description: 'default residential' }) @IsOptional() @IsIn(BUILDING_USES) use?: BuildingUse;
  @ApiPropertyOptional({ example: EXAMPLE_REGIONAL_VALUE, ...POSITIVE(LIMITS.regionalValue), type: 'integer', format: 'int64', description: 'Rials per m²; default 24,000,000' }) @IsOptional() @IsInt() regionalValue?: number;
  @ApiPropertyOptional({ example: 600, ...POSITIVE(LIMITS.grossArea), description: 'Density fee: requested gross area (m²); default 600' }) @IsOptional() @IsNumber() requestedGrossArea?: number;
  @ApiPropertyOptional({ example: 750, ...POSITIVE(LIMITS.grossArea), description: 'Building fee: gross area (m²); default 750' }) @IsOptional() @IsNumber() grossArea?: number;
  @ApiPropertyOptional({ example: 4, ...WHOLE(LIMITS.floors, 1), description: 'Floor areas: habitable floors; default 4' }) @IsOptional() @IsInt() floors?: number;
  @ApiPropertyOptional({ example: true, description: 'Floor areas: pilotis; default true' }) @IsOptional() @IsBoolean() pilotis?: boolean;
  @ApiPropertyOptional({ example: 1, ...WHOLE(LIMITS.basements), description: 'Floor areas: basements; default 1' }) @IsOptional() @IsInt() basements?: number;
  @ApiPropertyOptional({ example: 4, ...WHOLE(LIMITS.units), description: 'Building fee: residential units; default 4' }) @IsOptional() @IsInt() units?: number;
  @ApiPropertyOptional({ example: 3, ...WHOLE(LIMITS.spaces), description: 'Building fee: parking spaces provided; default 3' }) @IsOptional() @IsInt() parkingProvided?: number;
}

export class PreviewCalculatorTariffDto {
  @ApiProperty({ example: DEFAULT_TARIFFS_1405, description: `The proposed tables (not saved). ${TABLES_DOC}` })
  @IsObject()
  tables: TariffTables;

  @ApiPropertyOptional({ type: TariffSampleDto, description: 'The sample calculation; every field has a default' })
  @IsOptional()
  @ValidateNested()
  @Type(() => TariffSampleDto)
  sample?: TariffSampleDto;
}

export class CalculationErrorDto {
  @ApiProperty({ example: 'CALC_TARIFF_NOT_DEFINED' }) code: string;
  @ApiProperty({ example: { fa: 'برای این کاربری در تعرفه سال موردنظر ردیفی تعریف نشده است.', en: 'The year’s tariff defines no rate for this use.' } })
  message: { fa: string; en: string };
}

export class PreviewComparisonDto {
  @ApiProperty({ enum: ['density-fee', 'building-fee', 'floor-areas'], example: 'density-fee' }) calculator: string;
  @ApiProperty({ enum: ['totalRials', 'densityArea'], example: 'totalRials', description: 'What is compared (Rials, or m² counted in density)' }) quantity: string;
  @ApiProperty({ example: 504_000_000, nullable: true, type: Number }) current: number | null;
  @ApiProperty({ example: 630_000_000, nullable: true, type: Number }) proposed: number | null;
  @ApiProperty({ example: 126_000_000, nullable: true, type: Number, description: 'proposed − current (null when either failed)' }) difference: number | null;
  @ApiProperty({ type: CalculationErrorDto, nullable: true }) currentError: CalculationErrorDto | null;
  @ApiProperty({ type: CalculationErrorDto, nullable: true }) proposedError: CalculationErrorDto | null;
}

export class PreviewSideDto {
  @ApiProperty({ type: DensityFeeResultDto, nullable: true }) densityFee: DensityFeeResultDto | null;
  @ApiProperty({ type: BuildingFeeResultDto, nullable: true }) buildingFee: BuildingFeeResultDto | null;
  @ApiProperty({ type: FloorAreasResultDto, nullable: true }) floorAreas: FloorAreasResultDto | null;
}

export class TariffPreviewDto {
  @ApiProperty({ example: 1405 }) jalaliYear: number;
  @ApiProperty({ type: TariffRefDto, nullable: true, description: 'The current version compared against (null: the year has none yet)' })
  currentVersion: TariffRefDto | null;
  @ApiProperty({ example: false, description: 'Always false: a preview never saves' }) saved: boolean;
  @ApiProperty({ type: [PreviewComparisonDto], description: 'Side by side: each sample calculation with the current and the proposed tables' })
  comparisons: PreviewComparisonDto[];
  @ApiProperty({ type: PreviewSideDto, description: 'Full results with the current tables' }) current: PreviewSideDto;
  @ApiProperty({ type: PreviewSideDto, description: 'Full results with the proposed tables' }) proposed: PreviewSideDto;
}
