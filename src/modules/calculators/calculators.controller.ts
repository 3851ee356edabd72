import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, Public } from '@app/common';
import { RateLimit } from '../rate-limit/rate-limit.guard';
import { CalculatorsService } from './calculators.service';
import {
  AllowedDensityRequestDto,
  BuildingFeeRequestDto,
  bodyExamples,
  DensityFeeRequestDto,
  FloorAreasRequestDto,
} from './dto/calculator-request.dto';
import { AllowedDensityResultDto, BuildingFeeResultDto, DensityFeeResultDto, FloorAreasResultDto } from './dto/calculator-result.dto';

/** Per client IP: 60 calculations a minute for each calculator. */
const LIMIT = { limit: 60, windowSeconds: 60 };

const MODES =
  'Input: a renewal code (`renewalCode`, optional `region`) — the parcel’s net area after street widening, zone rules, ' +
  'access-road width, use and regional value are read from the data — or explicit inputs. Optional `jalaliYear` ' +
  '(default the current Jalali year) picks the tariff book. The answer lists every value used and where it came from ' +
  '(`inputs`) and an itemized breakdown in Persian and English: each line names the rule or tariff article, shows the ' +
  'formula with the numbers put in and the tariff year. Amounts are whole Rials with Persian words. Public; limited to ' +
  `${LIMIT.limit} requests per minute per IP (429 \`RATE_LIMITED\`).`;

@ApiTags('calculators')
@Public()
@Controller('calculators')
export class CalculatorsController {
  constructor(private readonly calculators: CalculatorsService) {}

  @Post('allowed-density')
  @HttpCode(200)
  @RateLimit({ name: 'calc-allowed-density', ...LIMIT })
  @ApiOperation({
    summary: 'Approved and allowed building density (تراکم ساختمانی مصوب و مجاز)',
    description:
      'Approved density of the last permit (with a renewal code: the registered building on the deed land area, when ' +
      'recorded), allowed density from the zone’s band for the net plot area and access-road width (capped at the maximum ' +
      'density; the base density when no band matches), maximum density, occupancy, maximum floors ' +
      '`min(maxFloors, floor(density ÷ occupancy))`, setbacks and parking spaces required. ' +
      MODES,
  })
  @ApiBody({ type: AllowedDensityRequestDto, examples: bodyExamples({ units: 4 }) })
  @ApiOkResponse({ type: AllowedDensityResultDto })
  @ApiProblems(400, 404, 422, 429)
  allowedDensity(@Body() dto: AllowedDensityRequestDto): Promise<AllowedDensityResultDto> {
    return this.calculators.allowedDensity(dto);
  }

  @Post('floor-areas')
  @HttpCode(200)
  @RateLimit({ name: 'calc-floor-areas', ...LIMIT })
  @ApiOperation({
    summary: 'Floor area on each storey (محاسبه زیربنا در طبقات)',
    description:
      'Per storey: basements, pilotis (parking), ground floor, each upper floor (footprint = occupancy × net area, with the ' +
      'tariff year’s allowances for stairs, elevator shaft and balconies) and the roof structure; totals and the density ' +
      'achieved. A layout beyond the zone rules answers `CALC_LAYOUT_EXCEEDS_RULES` (422) naming each rule exceeded ' +
      '(`extensions.violations`). ' +
      MODES,
  })
  @ApiBody({ type: FloorAreasRequestDto, examples: bodyExamples({ floors: 4, pilotis: true, basements: 1 }) })
  @ApiOkResponse({ type: FloorAreasResultDto })
  @ApiProblems(400, 404, 422, 429)
  floorAreas(@Body() dto: FloorAreasRequestDto): Promise<FloorAreasResultDto> {
    return this.calculators.floorAreas(dto);
  }

  @Post('density-fee')
  @HttpCode(200)
  @RateLimit({ name: 'calc-density-fee', ...LIMIT })
  @ApiOperation({
    summary: 'Density-issuance fee (محاسبه عوارض صدور تراکم ساختمانی)',
    description:
      'For a requested gross area counted in density: the part above the base density, split over the year’s bands for the ' +
      'use, each slice charged floor(m² × regional value × coefficient) Rials. Above the zone’s maximum density → ' +
      '`CALC_DENSITY_ABOVE_MAXIMUM` (422, a refusal). ' +
      MODES,
  })
  @ApiBody({ type: DensityFeeRequestDto, examples: bodyExamples({ requestedGrossArea: 500 }, { regionalValue: 24_000_000 }) })
  @ApiOkResponse({ type: DensityFeeResultDto })
  @ApiProblems(400, 404, 422, 429)
  densityFee(@Body() dto: DensityFeeRequestDto): Promise<DensityFeeResultDto> {
    return this.calculators.densityFee(dto);
  }

  @Post('building-fee')
  @HttpCode(200)
  @RateLimit({ name: 'calc-building-fee', ...LIMIT })
  @ApiOperation({
    summary: 'Building-permit fee estimate (محاسبه)',
    description:
      'The year’s permit-fee items for the use, by area band (slices), the parking-deficit fee per missing space ' +
      '(zone parking rule − spaces provided) and their total. The density-issuance fee is separate. ' +
      MODES,
  })
  @ApiBody({ type: BuildingFeeRequestDto, examples: bodyExamples({ grossArea: 750, units: 4, parkingProvided: 3 }, { regionalValue: 24_000_000 }) })
  @ApiOkResponse({ type: BuildingFeeResultDto })
  @ApiProblems(400, 404, 422, 429)
  buildingFee(@Body() dto: BuildingFeeRequestDto): Promise<BuildingFeeResultDto> {
    return this.calculators.buildingFee(dto);
  }
}
