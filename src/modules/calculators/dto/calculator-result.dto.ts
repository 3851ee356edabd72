import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { BUILDING_USES } from '../domain';
import type { BuildingUse, LineUnit } from '../domain';

export class LocalizedTextDto {
  @ApiProperty({ example: 'تراکم مجاز' }) fa: string;
  @ApiProperty({ example: 'Allowed density' }) en: string;
}

export class MoneyDto {
  @ApiProperty({ example: 1_200_000, description: 'Whole Rials (integer, below 10^15)' }) rials: number;
  @ApiProperty({ example: 'یک میلیون و دویست هزار', description: 'The amount in Persian words (Rials)' }) words: string;
  @ApiProperty({ example: '۱٬۲۰۰٬۰۰۰' }) formattedFa: string;
  @ApiProperty({ example: '1,200,000' }) formatted: string;
}

const UNITS: LineUnit[] = ['m2', 'percent', 'floors', 'spaces', 'm', 'rial', 'rial_per_m2', 'coefficient'];

export class BreakdownLineDto {
  @ApiProperty({ example: 'density.allowed', description: 'Stable machine key of the line' }) key: string;
  @ApiProperty({ example: 'R-2 · maxDensityPercent', description: 'The rule of the zone or the tariff article applied' }) article: string;
  @ApiProperty({ type: LocalizedTextDto }) title: LocalizedTextDto;
  @ApiProperty({ type: LocalizedTextDto, example: { fa: 'کمینه(۲۴۰٪، ۳۰۰٪) = ۲۴۰٪', en: 'min(240%, 300%) = 240%' }, description: 'The formula with the numbers put in' })
  formula: LocalizedTextDto;
  @ApiProperty({ example: 240 }) value: number;
  @ApiProperty({ enum: UNITS, example: 'percent' }) unit: LineUnit;
  @ApiProperty({ example: null, nullable: true, type: Number, description: 'Jalali year of the tariff book the line comes from (null: zone rules)' })
  tariffYear: number | null;
  @ApiPropertyOptional({ example: 'یک میلیون و دویست هزار', description: 'Persian words of a Rial amount (unit `rial`)' }) amountWords?: string;
}

export class TariffRefDto {
  @ApiProperty({ example: '01937a5e-8a4c-7cc1-9f1e-2b7d3c4a5e6f', description: 'Id of the tariff version used' }) id: string;
  @ApiProperty({ example: 1405 }) jalaliYear: number;
  @ApiProperty({ example: 1 }) version: number;
}

export class InputSourcesDto {
  @ApiProperty({ enum: ['renewalCode', 'explicit'], example: 'renewalCode' }) mode: 'renewalCode' | 'explicit';
  @ApiProperty({ example: '1-2-34-56-0-0-0', nullable: true, type: String }) renewalCode: string | null;
  @ApiProperty({ example: 1405, description: 'Jalali year used (tariff book, regional value)' }) jalaliYear: number;
  @ApiProperty({ example: 398.6, nullable: true, type: Number, description: 'Area of the parcel geometry (m², renewal-code mode)' })
  parcelAreaM2: number | null;
  @ApiProperty({ example: 199.3, nullable: true, type: Number, description: 'Area of the parcel in street-widening plans (m², renewal-code mode)' })
  wideningAffectedAreaM2: number | null;
  @ApiProperty({ example: 199.3, nullable: true, type: Number, description: 'Net area used (m²)' }) netArea: number | null;
  @ApiProperty({ example: 12, nullable: true, type: Number }) accessRoadWidth: number | null;
  @ApiProperty({ example: 'R-2', nullable: true, type: String }) zoneCode: string | null;
  @ApiProperty({ enum: BUILDING_USES, example: 'residential', nullable: true }) use: BuildingUse | null;
  @ApiProperty({ example: 24_000_000, nullable: true, type: Number, description: 'Regional value used, Rials per m² (fee calculators)' })
  regionalValue: number | null;
  @ApiProperty({
    example: { netArea: 'parcel_minus_widening', accessRoadWidth: 'registry', zone: 'zoning', use: 'registry', regionalValue: 'billing_block' },
    description:
      'Where each value came from: `request`; `registry` (property record); `parcel_minus_widening` (geometry area − widening plans); ' +
      '`zoning` (zone polygon); `billing_block` (the block’s regional value for the year) or `billing_default` (the year’s default land value)',
  })
  sources: Record<string, string>;
}

export class ApprovedDensityDto {
  @ApiProperty({ example: 180 }) densityPercent: number;
  @ApiProperty({ example: 432 }) grossArea: number;
  @ApiProperty({ example: 240 }) plotArea: number;
  @ApiProperty({ example: 3, nullable: true, type: Number }) floors: number | null;
  @ApiProperty({ example: 1398, nullable: true, type: Number }) jalaliYear: number | null;
  @ApiProperty({ example: '98/1234', nullable: true, type: String }) number: string | null;
}

export class ParkingRequirementDto {
  @ApiProperty({ example: 4 }) units: number;
  @ApiProperty({ example: 0 }) commercialArea: number;
  @ApiProperty({ example: 4 }) forUnits: number;
  @ApiProperty({ example: 0 }) forCommercial: number;
  @ApiProperty({ example: 4 }) requiredSpaces: number;
}

export class SetbacksDto {
  @ApiProperty({ example: 0 }) front: number;
  @ApiProperty({ example: 4 }) back: number;
  @ApiProperty({ example: 0 }) side: number;
}

export class ZoneBandDto {
  @ApiProperty({ example: 3, description: 'Index of the band in the zone rules' }) index: number;
  @ApiProperty({ example: 200 }) minPlotArea: number;
  @ApiProperty({ example: null, nullable: true, type: Number }) maxPlotArea: number | null;
  @ApiProperty({ example: 12 }) minRoadWidth: number;
  @ApiProperty({ example: null, nullable: true, type: Number }) maxRoadWidth: number | null;
  @ApiProperty({ example: 240 }) densityPercent: number;
}

export class AllowedDensityResultDto {
  @ApiProperty({ type: InputSourcesDto }) inputs: InputSourcesDto;
  @ApiProperty({ example: 250 }) netArea: number;
  @ApiProperty({ example: 12 }) accessRoadWidth: number;
  @ApiProperty({ type: ApprovedDensityDto, nullable: true, description: 'Approved density of the last permit, when known' }) approved: ApprovedDensityDto | null;
  @ApiProperty({ example: 180 }) baseDensityPercent: number;
  @ApiProperty({ type: ZoneBandDto, nullable: true, description: 'The zone band applied (null: none matched, base density applies)' })
  band: ZoneBandDto | null;
  @ApiProperty({ example: 240 }) allowedDensityPercent: number;
  @ApiProperty({ example: 300 }) maxDensityPercent: number;
  @ApiProperty({ example: 60 }) occupancyPercent: number;
  @ApiProperty({ example: 150, description: 'Footprint = net area × occupancy (m²)' }) footprintArea: number;
  @ApiProperty({ example: 450 }) baseGrossArea: number;
  @ApiProperty({ example: 600 }) allowedGrossArea: number;
  @ApiProperty({ example: 750 }) maxGrossArea: number;
  @ApiProperty({ example: 4, description: 'min(zone max floors, floor(allowed density ÷ occupancy))' }) maxFloors: number;
  @ApiProperty({ example: 5 }) maxFloorsAtMaxDensity: number;
  @ApiProperty({ example: 150 }) minPlotArea: number;
  @ApiProperty({ example: false }) belowMinPlotArea: boolean;
  @ApiProperty({ type: SetbacksDto }) setbacks: SetbacksDto;
  @ApiProperty({ type: ParkingRequirementDto }) parking: ParkingRequirementDto;
  @ApiProperty({ type: [BreakdownLineDto] }) breakdown: BreakdownLineDto[];
}

export class StoreyDto {
  @ApiProperty({ example: 1, description: 'Basements -1, -2…; ground 0; upper floors 1, 2…; the roof structure on top' }) level: number;
  @ApiProperty({ enum: ['basement', 'parking', 'ground', 'upper', 'roof'], example: 'upper' }) kind: string;
  @ApiProperty({ type: LocalizedTextDto }) label: LocalizedTextDto;
  @ApiProperty({ example: 150 }) footprint: number;
  @ApiProperty({ example: 12 }) balcony: number;
  @ApiProperty({ example: 162 }) grossArea: number;
  @ApiProperty({ example: 14 }) stairs: number;
  @ApiProperty({ example: 4 }) elevatorShaft: number;
  @ApiProperty({ example: 144, description: 'm² counted in density' }) densityArea: number;
}

export class FloorTotalsDto {
  @ApiProperty({ example: 930 }) grossArea: number;
  @ApiProperty({ example: 560 }) densityArea: number;
  @ApiProperty({ example: 370 }) excludedArea: number;
}

export class FloorAreasResultDto {
  @ApiProperty({ type: InputSourcesDto }) inputs: InputSourcesDto;
  @ApiProperty({ type: TariffRefDto }) tariff: TariffRefDto;
  @ApiProperty({ example: 250 }) netArea: number;
  @ApiProperty({ example: 60 }) occupancyPercent: number;
  @ApiProperty({ example: 4 }) floors: number;
  @ApiProperty({ example: true }) pilotis: boolean;
  @ApiProperty({ example: 1 }) basements: number;
  @ApiProperty({ example: true }) elevatorRequired: boolean;
  @ApiProperty({ type: [StoreyDto] }) storeys: StoreyDto[];
  @ApiProperty({ type: FloorTotalsDto }) totals: FloorTotalsDto;
  @ApiProperty({ example: 224, description: 'Density achieved = density area ÷ net area × 100' }) densityPercent: number;
  @ApiProperty({ example: 180 }) baseDensityPercent: number;
  @ApiProperty({ example: 240, nullable: true, type: Number }) allowedDensityPercent: number | null;
  @ApiProperty({ example: 300 }) maxDensityPercent: number;
  @ApiProperty({ example: 110, description: 'm² of density area above base density (what the density-issuance fee charges)' }) densityAreaAboveBase: number;
  @ApiProperty({ type: [BreakdownLineDto] }) breakdown: BreakdownLineDto[];
}

export class DensityFeeSliceDto {
  @ApiProperty({ example: 0 }) band: number;
  @ApiProperty({ example: 0, description: 'Density points above base: from (inclusive)' }) fromPoints: number;
  @ApiProperty({ example: 30, nullable: true, type: Number, description: 'to (exclusive; null = open)' }) toPoints: number | null;
  @ApiProperty({ example: 75 }) area: number;
  @ApiProperty({ example: 0.8 }) coefficient: number;
  @ApiProperty({ type: MoneyDto }) amount: MoneyDto;
}

export class DensityFeeResultDto {
  @ApiProperty({ type: InputSourcesDto }) inputs: InputSourcesDto;
  @ApiProperty({ type: TariffRefDto }) tariff: TariffRefDto;
  @ApiProperty({ enum: BUILDING_USES, example: 'residential' }) use: BuildingUse;
  @ApiProperty({ example: 250 }) netArea: number;
  @ApiProperty({ example: 24_000_000 }) regionalValue: number;
  @ApiProperty({ example: 600 }) requestedGrossArea: number;
  @ApiProperty({ example: 240 }) requestedDensityPercent: number;
  @ApiProperty({ example: 180 }) baseDensityPercent: number;
  @ApiProperty({ example: 240, nullable: true, type: Number }) allowedDensityPercent: number | null;
  @ApiProperty({ example: 300 }) maxDensityPercent: number;
  @ApiProperty({ example: 450 }) baseGrossArea: number;
  @ApiProperty({ example: 750 }) maxGrossArea: number;
  @ApiProperty({ example: 150, description: 'm² above base density' }) chargeableArea: number;
  @ApiProperty({ type: [DensityFeeSliceDto] }) slices: DensityFeeSliceDto[];
  @ApiProperty({ type: MoneyDto }) total: MoneyDto;
  @ApiProperty({ type: [BreakdownLineDto] }) breakdown: BreakdownLineDto[];
}

export class BuildingFeeItemLineDto {
  @ApiProperty({ example: 0 }) band: number;
  @ApiProperty({ example: 0 }) from: number;
  @ApiProperty({ example: 200, nullable: true, type: Number }) to: number | null;
  @ApiProperty({ example: 200 }) area: number;
  @ApiProperty({ example: 0.06, description: 'Coefficient (basis regionalValue) or Rials per m² (basis rialsPerM2)' }) rate: number;
  @ApiProperty({ type: MoneyDto }) amount: MoneyDto;
}

export class BuildingFeeItemDto {
  @ApiProperty({ example: 'permit-area' }) key: string;
  @ApiProperty({ example: 'ماده ۳' }) article: string;
  @ApiProperty({ type: LocalizedTextDto }) title: LocalizedTextDto;
  @ApiProperty({ enum: ['regionalValue', 'rialsPerM2'], example: 'regionalValue' }) basis: string;
  @ApiProperty({ type: [BuildingFeeItemLineDto] }) lines: BuildingFeeItemLineDto[];
  @ApiProperty({ type: MoneyDto }) amount: MoneyDto;
}

export class ParkingDeficitDto {
  @ApiProperty({ example: 4 }) required: number;
  @ApiProperty({ example: 3 }) provided: number;
  @ApiProperty({ example: 1 }) deficit: number;
  @ApiProperty({ example: 0.6 }) coefficient: number;
  @ApiProperty({ example: 25 }) spaceAreaM2: number;
  @ApiProperty({ type: MoneyDto }) feePerSpace: MoneyDto;
  @ApiProperty({ type: MoneyDto }) fee: MoneyDto;
}

export class BuildingFeeResultDto {
  @ApiProperty({ type: InputSourcesDto }) inputs: InputSourcesDto;
  @ApiProperty({ type: TariffRefDto }) tariff: TariffRefDto;
  @ApiProperty({ enum: BUILDING_USES, example: 'residential' }) use: BuildingUse;
  @ApiProperty({ example: 750 }) grossArea: number;
  @ApiProperty({ example: 24_000_000 }) regionalValue: number;
  @ApiProperty({ type: [BuildingFeeItemDto] }) items: BuildingFeeItemDto[];
  @ApiProperty({ type: ParkingDeficitDto }) parking: ParkingDeficitDto;
  @ApiProperty({ type: MoneyDto }) total: MoneyDto;
  @ApiProperty({ type: [BreakdownLineDto] }) breakdown: BreakdownLineDto[];
}
