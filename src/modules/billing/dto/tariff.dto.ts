import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMinSize, IsInt, IsObject, IsOptional, IsString, ValidateIf, ValidateNested } from 'class-validator';
import { Between, MaxChars, MaxItems } from '@app/common';
import { RENEWAL_CODE_PART_MAX_DIGITS } from '@app/iran';

/** A renewal code's district or block: 1 to its six digits (libs/iran renewal-code). */
const PART_MAX = 10 ** RENEWAL_CODE_PART_MAX_DIGITS - 1;
/** Rials per m², the calculators' bound on a regional value (they read these values). */
const LAND_VALUE_MAX = 10_000_000_000;
import { DEFAULT_TARIFF } from '../domain/tariff';
import type { DiscountRule, GuildTariff, InquiryFeeTariff, PenaltyRule, RenewalTariff, WasteTariff } from '../domain/tariff';

const D = DEFAULT_TARIFF;

/**
 * A whole tariff of a year. The nested members are checked by one validator that answers
 * `TARIFF_INVALID` with coded field errors (TARIFF_NEGATIVE, TARIFF_NOT_INTEGER,
 * TARIFF_BAND_GAP, TARIFF_BAND_OVERLAP, TARIFF_BAND_EMPTY, TARIFF_BAND_NOT_OPEN, TARIFF_MISSING, ...).
 */
export class TariffRulesDto {
  @ApiProperty({
    example: D.renewal,
    description:
      'Renewal tax: `ratePerMille` of the assessed value (law default 5), value = land area × regional land value ' +
      '(per block; `defaultLandValuePerM2` where a block has none) + building area × `buildingValuePerM2[structureType]` (Rials/m²)',
  })
  @IsObject()
  renewal: RenewalTariff;

  @ApiProperty({
    example: D.waste,
    description:
      'Waste fee per year = `baseRialsByUse[use]` (fallback `other`) × area band factor (built area, or land area when nothing is built; ' +
      'bands start at 0, contiguous, last one open `toM2: null`) × `zoneCoefficientPermille[zoneCode]` (default 1000) × max(units, 1); ' +
      'coefficients in per-mille (1000 = ×1)',
  })
  @IsObject()
  waste: WasteTariff;

  @ApiProperty({
    example: D.guild,
    description: 'Guild fee per year = (category `baseRials` + area × `perM2Rials`) × `locationCoefficientPermille[region]` (default 1000); fallback category `other`',
  })
  @IsObject()
  guild: GuildTariff;

  @ApiProperty({ example: D.penalty, description: 'Late penalty: `monthlyBp` basis points (150 = 1.5%) per started month after the demand year, capped at `maxBp`' })
  @IsObject()
  penalty: PenaltyRule;

  @ApiProperty({ example: D.discount, description: 'Early payment: `percentBp` off the current year’s demands up to the end of Jalali month `untilMonth` (0 = none)' })
  @IsObject()
  discount: DiscountRule;

  @ApiPropertyOptional({
    example: D.inquiry,
    nullable: true,
    description: 'Electronic inquiry fee by type (Rials), added to the property’s file when the desk assesses an inquiry; null: none. Omitted in an update: kept from the previous version.',
  })
  @ValidateIf((o: TariffRulesDto) => o.inquiry !== undefined && o.inquiry !== null)
  @IsObject()
  inquiry?: InquiryFeeTariff | null;
}

export class UpdateTariffDto extends TariffRulesDto {
  @ApiProperty({ example: 'مصوبه شورای اسلامی شهر شماره ۱۲۳', description: 'Why (resolution number, ...); kept with the version and in the audit log' })
  @IsString()
  @MaxChars(500)
  note: string;
}

export class TariffDto extends TariffRulesDto {
  @ApiProperty({ example: '01937a5e-8a4c-7cc1-9f1e-2b7d3c4a5e6f', description: 'Tariff version id (stored in every demand computed with it)' })
  id: string;
  @ApiProperty({ example: 1405 }) jalaliYear: number;
  @ApiProperty({ example: 2, description: 'Versions of a year count from 1; the newest is used for new assessments' }) version: number;
  @ApiProperty({ example: 'default' }) note: string;
  @ApiProperty({ example: '2026-11-25T10:00:00.000Z' }) createdAt: string;
}

export class RegionalValueInputDto {
  @ApiProperty({ example: 1, description: 'Region, 1–9 as in the renewal code' }) @IsInt() @Between(1, 9, { integer: true }) region: number;
  @ApiProperty({ example: 2, description: 'District as in the renewal code (up to six digits)' }) @IsInt() @Between(1, PART_MAX, { integer: true }) district: number;
  @ApiProperty({ example: 34, description: 'Block as in the renewal code (up to six digits)' }) @IsInt() @Between(1, PART_MAX, { integer: true }) block: number;
  @ApiProperty({ example: 4_500_000, description: 'Regional land value (ارزش منطقه‌ای), integer Rials per m², not negative' })
  @IsInt()
  @Between(0, LAND_VALUE_MAX, { integer: true })
  landValuePerM2: number;
}

export class RegionalValueDto extends RegionalValueInputDto {
  @ApiProperty({ example: 1405 }) jalaliYear: number;
}

export class SetRegionalValuesDto {
  @ApiProperty({ type: [RegionalValueInputDto] })
  @ValidateNested({ each: true })
  @Type(() => RegionalValueInputDto)
  @ArrayMinSize(1)
  @MaxItems(10000)
  values: RegionalValueInputDto[];
}

export class RegionalValuesQuery {
  @ApiPropertyOptional({ example: 1, description: 'Only this region (1–9)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Between(1, 9, { integer: true })
  region?: number;
}
