import { Body, Controller, Get, HttpCode, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, ApiProblems, CurrentActor, IntPathParam, PageQuery, PathParam, Roles } from '@app/common';
import { AssessmentService } from './assessment.service';
import { TARIFF_YEAR_RANGE } from './domain/tariff';
import { BillingService } from './billing.service';
import { AmendDemandDto, AssessDto, AssessResultDto, DemandDto, DemandPageDto, DemandsQuery } from './dto/admin.dto';
import { CreateGuildLicenceDto, GuildLicenceDto, GuildLicencePageDto } from './dto/guild.dto';
import { RegionalValueDto, RegionalValuesQuery, SetRegionalValuesDto, TariffDto, UpdateTariffDto } from './dto/tariff.dto';
import { GuildsService } from './guilds.service';
import { TariffsService } from './tariffs.service';

const YEAR = { ...TARIFF_YEAR_RANGE, example: 1405, description: 'Jalali year' };

@ApiTags('admin-billing')
@ApiBearerAuth('staff')
@Roles('admin', 'finance_officer')
@Controller('admin/billing')
export class AdminBillingController {
  constructor(
    private readonly tariffs: TariffsService,
    private readonly assessment: AssessmentService,
    private readonly billing: BillingService,
    private readonly guilds: GuildsService,
  ) {}

  @Get('tariffs/:jalaliYear')
  @ApiOperation({ summary: 'The current (newest) tariff version of a year (admin, finance)' })
  @ApiOkResponse({ type: TariffDto })
  @ApiProblems(400, 401, 403, 404)
  tariff(@IntPathParam('jalaliYear', YEAR) year: number): Promise<TariffDto> {
    return this.tariffs.current(year);
  }

  @Get('tariffs/:jalaliYear/versions')
  @ApiOperation({ summary: 'Every tariff version of a year, newest first (admin, finance)' })
  @ApiOkResponse({ type: [TariffDto] })
  @ApiProblems(400, 401, 403)
  versions(@IntPathParam('jalaliYear', YEAR) year: number): Promise<TariffDto[]> {
    return this.tariffs.versions(year);
  }

  @Put('tariffs/:jalaliYear')
  @ApiOperation({
    summary: 'Edit a year’s tariff: adds the next version (admin, finance; audited)',
    description:
      'The whole tariff is sent. It is validated (`TARIFF_INVALID` with coded field errors: negative or fractional numbers, ' +
      'area bands with gaps or overlaps, missing fallbacks). New assessments use the new version; demands already issued ' +
      'keep the amounts and rules they were computed with.',
  })
  @ApiOkResponse({ type: TariffDto })
  @ApiProblems(400, 401, 403)
  updateTariff(@IntPathParam('jalaliYear', YEAR) year: number, @Body() dto: UpdateTariffDto): Promise<TariffDto> {
    const { note, ...rules } = dto;
    return this.tariffs.update(year, rules, note);
  }

  @Get('regional-values/:jalaliYear')
  @ApiOperation({ summary: 'Regional land values (ارزش منطقه‌ای) per block of a year (admin, finance)' })
  @ApiOkResponse({ type: [RegionalValueDto] })
  @ApiProblems(400, 401, 403)
  regionalValues(@IntPathParam('jalaliYear', YEAR) year: number, @Query() query: RegionalValuesQuery): Promise<RegionalValueDto[]> {
    return this.tariffs.regionalValues(year, query.region);
  }

  @Put('regional-values/:jalaliYear')
  @ApiOperation({ summary: 'Set regional land values of blocks for a year (insert or replace; admin, finance; audited)' })
  @ApiOkResponse({ schema: { type: 'object', properties: { written: { type: 'integer', format: 'int32', minimum: 0, maximum: 10000, example: 2, description: 'Rows written (at most the 10,000 values sent)' } } } })
  @ApiProblems(400, 401, 403)
  setRegionalValues(@IntPathParam('jalaliYear', YEAR) year: number, @Body() dto: SetRegionalValuesDto): Promise<{ written: number }> {
    return this.tariffs.setRegionalValues(year, dto.values);
  }

  @Post('assessments')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Assess a year: renewal and waste demands of every property, guild fees of every active licence (admin, finance)',
    description:
      'Set-based and resumable: existing demands are kept, so running it again only adds what is missing (new properties ' +
      'or licences). For a whole city prefer the CLI (`npm run cli -- billing:assess --year 1405`), which shows progress.',
  })
  @ApiOkResponse({ type: AssessResultDto })
  @ApiProblems(400, 401, 403, 404)
  assess(@Body() dto: AssessDto): Promise<AssessResultDto> {
    return this.assessment.assessYear(dto.jalaliYear);
  }

  @Get('demands')
  @ApiOperation({
    summary: 'Demands of a property (and its guild units) or a guild licence, with snapshots and amendments',
    description: 'Exactly one of `renewalCode` and `guildCode`. Newest year first, a page at a time (`?page=&pageSize=`); `meta.total` counts all the subject’s demands.',
  })
  @ApiOkResponse({ type: DemandPageDto })
  @ApiProblems(400, 401, 403)
  demands(@CurrentActor() actor: Actor, @Query() query: DemandsQuery): Promise<DemandPageDto> {
    return this.billing.demands(actor, query);
  }

  @Post('demands/:id/amendments')
  @ApiOperation({
    summary: 'Amend an open demand: write-off, correction or court ruling, with a reason code (audited)',
    description:
      'The demand keeps its assessed amount and every amendment; open bills that include it are voided (the next debt lookup ' +
      'issues a new one). Errors: `DEMAND_NOT_FOUND`, `DEMAND_NOT_AMENDABLE` (paid or written off), `AMENDMENT_INVALID`.',
  })
  @ApiCreatedResponse({ type: DemandDto })
  @ApiProblems(400, 401, 403, 404, 409)
  amend(@CurrentActor() actor: Actor, @PathParam('id', { maxLength: 36, format: 'uuid' }, ParseUUIDPipe) id: string, @Body() dto: AmendDemandDto): Promise<DemandDto> {
    return this.billing.amend(actor, id, dto);
  }

  @Post('guilds')
  @ApiOperation({ summary: 'Register a guild licence (پروانه کسب) on a property (admin, finance; audited)' })
  @ApiCreatedResponse({ type: GuildLicenceDto })
  @ApiProblems(400, 401, 403, 404, 409)
  createGuild(@Body() dto: CreateGuildLicenceDto): Promise<GuildLicenceDto> {
    return this.guilds.create(dto);
  }

  @Get('guilds')
  @ApiOperation({ summary: 'Guild licences (admin, finance)', description: 'By guild code, a page at a time (`?page=&pageSize=`); `meta.total` counts all licences.' })
  @ApiOkResponse({ type: GuildLicencePageDto })
  @ApiProblems(400, 401, 403)
  listGuilds(@Query() query: PageQuery): Promise<GuildLicencePageDto> {
    return this.guilds.list(query);
  }

  @Get('guilds/:guildCode')
  @ApiOperation({ summary: 'A guild licence (admin, finance)' })
  @ApiOkResponse({ type: GuildLicenceDto })
  @ApiProblems(401, 403, 404)
  guild(@PathParam('guildCode', { maxLength: 32, example: 'G-1-000123' }) code: string): Promise<GuildLicenceDto> {
    return this.guilds.get(code);
  }
}
