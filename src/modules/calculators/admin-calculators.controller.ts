import { Body, Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, IntPathParam, Roles } from '@app/common';
import { CalculatorTariffsService } from './calculator-tariffs.service';
import { CalculatorsService } from './calculators.service';
import { CALCULATOR_YEAR_RANGE } from './domain';
import { CalculatorTariffYearDto, PreviewCalculatorTariffDto, TariffPreviewDto, UpdateCalculatorTariffDto } from './dto/tariff-admin.dto';

const YEAR = { ...CALCULATOR_YEAR_RANGE, example: 1405, description: 'Jalali year of the tariff book' };

@ApiTags('admin-calculators')
@ApiBearerAuth('staff')
@Roles('admin', 'finance_officer')
@Controller('admin/calculator-tariffs')
export class AdminCalculatorsController {
  constructor(
    private readonly tariffs: CalculatorTariffsService,
    private readonly calculators: CalculatorsService,
  ) {}

  @Get(':year')
  @ApiOperation({
    summary: 'Calculator tariff tables of a year: the current version and every version (admin, finance)',
    description: 'The newest version is the one calculations use. Versions are never edited: each save adds one.',
  })
  @ApiOkResponse({ type: CalculatorTariffYearDto })
  @ApiProblems(400, 401, 403, 404)
  get(@IntPathParam('year', YEAR) year: number): Promise<CalculatorTariffYearDto> {
    return this.tariffs.year(year);
  }

  @Put(':year')
  @ApiOperation({
    summary: 'Save new calculator tariff tables for a year: adds the next version (admin, finance; audited)',
    description:
      'The whole tables document is sent (start from `GET` → `current.tables`). It is validated as one document: problems ' +
      'answer `TARIFF_TABLES_INVALID` (400) with one coded field error each (`BAND_GAP`, `BAND_OVERLAP`, `NEGATIVE`, ' +
      '`TOO_MANY_DECIMALS`, `YEAR_MISMATCH`, …). Calculations made afterwards use the new version; nothing already stored ' +
      '(billing demands, earlier versions) changes. The audit log records the old and new version ids. Try `POST …/preview` first.',
  })
  @ApiOkResponse({ type: CalculatorTariffYearDto })
  @ApiProblems(400, 401, 403)
  update(@IntPathParam('year', YEAR) year: number, @Body() dto: UpdateCalculatorTariffDto): Promise<CalculatorTariffYearDto> {
    return this.tariffs.update(year, dto.tables, dto.note);
  }

  @Post(':year/preview')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Preview proposed tables on a sample calculation, without saving (admin, finance)',
    description:
      'Validates the proposed tables like `PUT` (`TARIFF_TABLES_INVALID`), then runs a sample — density-issuance fee, ' +
      'building-permit estimate and floor areas — with the year’s current tables and with the proposed ones, side by side ' +
      '(`comparisons`: current, proposed, difference; full results under `current` and `proposed`; a calculation the ' +
      'tables refuse shows its coded error). The sample defaults to a 250 m² R-2-like parcel on a 12 m road, residential, ' +
      'regional value 24,000,000 Rials/m²; any part can be given, or a renewal code.',
  })
  @ApiOkResponse({ type: TariffPreviewDto })
  @ApiProblems(400, 401, 403, 404)
  preview(@IntPathParam('year', YEAR) year: number, @Body() dto: PreviewCalculatorTariffDto): Promise<TariffPreviewDto> {
    return this.calculators.preview(year, dto.tables, dto.sample);
  }
}
