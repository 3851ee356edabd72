import { Injectable } from '@nestjs/common';
import { DomainError, FieldError } from '@app/common';
import { TariffsService } from '../billing/tariffs.service';
import { PropertiesService } from '../properties/properties.service';
import { CalculatorErrors } from './calculators.errors';
import { CalculatorTariffsService, canonicalTables, currentJalaliYear, CurrentTables } from './calculator-tariffs.service';
import {
  allowedDensity,
  BreakdownLine,
  buildingFee,
  BuildingUse,
  densityFee,
  floorAreas,
  fmt,
  fmtFa,
  isBuildingUse,
  LastPermitInput,
  TariffTables,
  ZoneRef,
  ZoneRulesInput,
} from './domain';
import {
  AllowedDensityRequestDto,
  BuildingFeeRequestDto,
  DensityFeeRequestDto,
  EXAMPLE_REGIONAL_VALUE,
  EXAMPLE_ZONE,
  FloorAreasRequestDto,
} from './dto/calculator-request.dto';
import {
  AllowedDensityResultDto,
  BuildingFeeResultDto,
  DensityFeeResultDto,
  FloorAreasResultDto,
  InputSourcesDto,
  TariffRefDto,
} from './dto/calculator-result.dto';
import { CalculationErrorDto, PreviewComparisonDto, PreviewSideDto, TariffPreviewDto, TariffSampleDto } from './dto/tariff-admin.dto';

/** The parcel part of a request, in either input mode. */
interface ParcelSource {
  renewalCode?: string;
  region?: number;
  netArea?: number;
  accessRoadWidth?: number;
  zone?: ZoneRulesInput;
  zoneCode?: string;
  use?: BuildingUse;
  regionalValue?: number;
  lastPermit?: LastPermitInput;
}

type Need = 'netArea' | 'accessRoadWidth' | 'zone' | 'use' | 'regionalValue' | 'lastPermit';

interface ResolvedParcel {
  inputs: InputSourcesDto;
  netArea?: number;
  accessRoadWidth?: number;
  zone?: ZoneRulesInput;
  zoneRef?: ZoneRef;
  use?: BuildingUse;
  regionalValue?: number;
  lastPermit?: LastPermitInput | null;
  /** Lines explaining values read from the data (street widening), put before the calculator's own. */
  lines: BreakdownLine[];
}

const REQUIRED_TEXT: Record<Exclude<Need, 'lastPermit'>, { fa: string; en: string }> = {
  netArea: { fa: 'مساحت خالص عرصه را وارد کنید یا کد نوسازی بفرستید.', en: 'send netArea, or a renewalCode.' },
  accessRoadWidth: { fa: 'عرض معبر دسترسی برای این ملک ثبت نشده است؛ آن را وارد کنید.', en: 'the access-road width is not known; send accessRoadWidth.' },
  zone: { fa: 'ضوابط پهنه را وارد کنید یا کد نوسازی بفرستید.', en: 'send the zone rules, or a renewalCode.' },
  use: { fa: 'کاربری ساختمان را انتخاب کنید.', en: 'send the building use.' },
  regionalValue: {
    fa: 'ارزش منطقه‌ای این بلوک برای سال موردنظر ثبت نشده است؛ آن را وارد کنید.',
    en: 'no regional value is recorded for this block and year; send regionalValue.',
  },
};

const round2 = (v: number) => Math.round(v * 100) / 100;

/**
 * The calculators over HTTP: reads what a renewal code implies (properties, zoning, street
 * widening, billing's regional values) or takes explicit inputs, picks the year's tariff
 * tables and calls the pure domain. Nothing is stored: a result is computed per request.
 */
@Injectable()
export class CalculatorsService {
  constructor(
    private readonly tariffs: CalculatorTariffsService,
    private readonly properties: PropertiesService,
    private readonly billingTariffs: TariffsService,
  ) {}

  async allowedDensity(dto: AllowedDensityRequestDto): Promise<AllowedDensityResultDto> {
    const year = dto.jalaliYear ?? currentJalaliYear();
    const p = await this.resolve(dto, year, ['netArea', 'accessRoadWidth', 'zone', 'lastPermit']);
    const r = allowedDensity({
      netArea: p.netArea!,
      accessRoadWidth: p.accessRoadWidth!,
      zone: p.zone!,
      zoneRef: p.zoneRef,
      use: p.use,
      units: dto.units,
      commercialArea: dto.commercialArea,
      lastPermit: p.lastPermit ?? null,
    });
    return {
      inputs: p.inputs,
      netArea: r.netArea,
      accessRoadWidth: r.accessRoadWidth,
      approved: r.approved,
      baseDensityPercent: r.baseDensityPercent,
      band: r.band,
      allowedDensityPercent: r.allowedDensityPercent,
      maxDensityPercent: r.maxDensityPercent,
      occupancyPercent: r.occupancyPercent,
      footprintArea: r.footprintArea,
      baseGrossArea: r.baseGrossArea,
      allowedGrossArea: r.allowedGrossArea,
      maxGrossArea: r.maxGrossArea,
      maxFloors: r.maxFloors,
      maxFloorsAtMaxDensity: r.maxFloorsAtMaxDensity,
      minPlotArea: r.minPlotArea,
      belowMinPlotArea: r.belowMinPlotArea,
      setbacks: r.setbacks,
      parking: r.parking,
      breakdown: [...p.lines, ...r.breakdown],
    };
  }

  async floorAreas(dto: FloorAreasRequestDto): Promise<FloorAreasResultDto> {
    const year = dto.jalaliYear ?? currentJalaliYear();
    const [p, t] = await Promise.all([this.resolve(dto, year, ['netArea', 'zone']), this.tariffs.tablesFor(year)]);
    return this.runFloorAreas(p, t, dto);
  }

  async densityFee(dto: DensityFeeRequestDto): Promise<DensityFeeResultDto> {
    const year = dto.jalaliYear ?? currentJalaliYear();
    const [p, t] = await Promise.all([this.resolve(dto, year, ['netArea', 'zone', 'use', 'regionalValue']), this.tariffs.tablesFor(year)]);
    return this.runDensityFee(p, t, dto.requestedGrossArea);
  }

  async buildingFee(dto: BuildingFeeRequestDto): Promise<BuildingFeeResultDto> {
    const year = dto.jalaliYear ?? currentJalaliYear();
    const [p, t] = await Promise.all([this.resolve(dto, year, ['zone', 'use', 'regionalValue']), this.tariffs.tablesFor(year)]);
    return this.runBuildingFee(p, t, dto);
  }

  /**
   * Runs a sample calculation (density fee, building fee, floor areas) with the year's
   * current tables and with proposed ones, side by side. Saves nothing.
   */
  async preview(year: number, proposed: TariffTables, sample: TariffSampleDto = {}): Promise<TariffPreviewDto> {
    this.tariffs.check(year, proposed);
    const current = await this.tariffs.tablesFor(year).catch((err: unknown) => {
      if (err instanceof DomainError && err.code === 'CALC_TARIFF_YEAR_NOT_FOUND') return null;
      throw err;
    });
    const source: ParcelSource = sample.renewalCode
      ? sample
      : {
          ...sample,
          netArea: sample.netArea ?? 250,
          accessRoadWidth: sample.accessRoadWidth ?? 12,
          zone: sample.zone ?? EXAMPLE_ZONE,
          zoneCode: sample.zone ? undefined : 'R-2',
          use: sample.use ?? 'residential',
          regionalValue: sample.regionalValue ?? EXAMPLE_REGIONAL_VALUE,
        };
    const p = await this.resolve(source, year, ['netArea', 'zone', 'use', 'regionalValue']);
    const layout = { floors: sample.floors ?? 4, pilotis: sample.pilotis ?? true, basements: sample.basements ?? 1 };
    const fee = { grossArea: sample.grossArea ?? 750, units: sample.units ?? 4, parkingProvided: sample.parkingProvided ?? 3 };
    const requested = sample.requestedGrossArea ?? 600;
    const proposedRef: CurrentTables = { id: 'proposed', jalaliYear: year, version: (current?.version ?? 0) + 1, tables: canonicalTables(proposed) };

    const side = (t: CurrentTables | null) => ({
      densityFee: attempt(() => (t ? this.runDensityFee(p, t, requested) : null)),
      buildingFee: attempt(() => (t ? this.runBuildingFee(p, t, fee) : null)),
      floorAreas: attempt(() => (t ? this.runFloorAreas(p, t, layout) : null)),
    });
    const a = side(current);
    const b = side(proposedRef);
    const compare = (
      calculator: string,
      quantity: string,
      x: Attempt<{ v: number } | null>,
      y: Attempt<{ v: number } | null>,
    ): PreviewComparisonDto => ({
      calculator,
      quantity,
      current: x.value?.v ?? null,
      proposed: y.value?.v ?? null,
      difference: x.value && y.value ? y.value.v - x.value.v : null,
      currentError: x.error,
      proposedError: y.error,
    });
    const pick = <T,>(r: Attempt<T | null>, f: (v: T) => number): Attempt<{ v: number } | null> => ({
      value: r.value ? { v: f(r.value) } : null,
      error: r.error,
    });
    const sideDto = (s: typeof a): PreviewSideDto => ({
      densityFee: s.densityFee.value,
      buildingFee: s.buildingFee.value,
      floorAreas: s.floorAreas.value,
    });
    return {
      jalaliYear: year,
      currentVersion: current ? { id: current.id, jalaliYear: year, version: current.version } : null,
      saved: false,
      comparisons: [
        compare('density-fee', 'totalRials', pick(a.densityFee, (r) => r.total.rials), pick(b.densityFee, (r) => r.total.rials)),
        compare('building-fee', 'totalRials', pick(a.buildingFee, (r) => r.total.rials), pick(b.buildingFee, (r) => r.total.rials)),
        compare('floor-areas', 'densityArea', pick(a.floorAreas, (r) => r.totals.densityArea), pick(b.floorAreas, (r) => r.totals.densityArea)),
      ],
      current: sideDto(a),
      proposed: sideDto(b),
    };
  }

  // ─── runs (pure domain + mapping) ─────────────────────────────────────────────────

  private runFloorAreas(
    p: ResolvedParcel,
    t: CurrentTables,
    d: { floors: number; pilotis?: boolean; basements?: number; occupancyPercent?: number; roofStructure?: boolean },
  ): FloorAreasResultDto {
    const r = floorAreas({
      netArea: p.netArea!,
      accessRoadWidth: p.accessRoadWidth,
      zone: p.zone!,
      zoneRef: p.zoneRef,
      floors: d.floors,
      pilotis: d.pilotis,
      basements: d.basements,
      occupancyPercent: d.occupancyPercent,
      roofStructure: d.roofStructure,
      tariffs: t.tables,
    });
    return {
      inputs: p.inputs,
      tariff: tariffRef(t),
      netArea: r.netArea,
      occupancyPercent: r.occupancyPercent,
      floors: r.floors,
      pilotis: r.pilotis,
      basements: r.basements,
      elevatorRequired: r.elevatorRequired,
      storeys: r.storeys,
      totals: r.totals,
      densityPercent: r.densityPercent,
      baseDensityPercent: r.baseDensityPercent,
      allowedDensityPercent: r.allowedDensityPercent,
      maxDensityPercent: r.maxDensityPercent,
      densityAreaAboveBase: r.densityAreaAboveBase,
      breakdown: [...p.lines, ...r.breakdown],
    };
  }

  private runDensityFee(p: ResolvedParcel, t: CurrentTables, requestedGrossArea: number): DensityFeeResultDto {
    const r = densityFee({
      netArea: p.netArea!,
      accessRoadWidth: p.accessRoadWidth,
      zone: p.zone!,
      zoneRef: p.zoneRef,
      requestedGrossArea,
      use: p.use!,
      regionalValue: p.regionalValue!,
      tariffs: t.tables,
    });
    return {
      inputs: p.inputs,
      tariff: tariffRef(t),
      use: r.use,
      netArea: r.netArea,
      regionalValue: r.regionalValue,
      requestedGrossArea: r.requestedGrossArea,
      requestedDensityPercent: r.requestedDensityPercent,
      baseDensityPercent: r.baseDensityPercent,
      allowedDensityPercent: r.allowedDensityPercent,
      maxDensityPercent: r.maxDensityPercent,
      baseGrossArea: r.baseGrossArea,
      maxGrossArea: r.maxGrossArea,
      chargeableArea: r.chargeableArea,
      slices: r.slices,
      total: r.total,
      breakdown: [...p.lines, ...r.breakdown],
    };
  }

  private runBuildingFee(
    p: ResolvedParcel,
    t: CurrentTables,
    d: { grossArea: number; units?: number; commercialArea?: number; parkingProvided?: number },
  ): BuildingFeeResultDto {
    const r = buildingFee({
      grossArea: d.grossArea,
      use: p.use!,
      regionalValue: p.regionalValue!,
      zone: p.zone!,
      zoneRef: p.zoneRef,
      units: d.units,
      commercialArea: d.commercialArea,
      parkingProvided: d.parkingProvided,
      tariffs: t.tables,
    });
    return {
      inputs: p.inputs,
      tariff: tariffRef(t),
      use: r.use,
      grossArea: r.grossArea,
      regionalValue: r.regionalValue,
      items: r.items,
      parking: r.parking,
      total: r.total,
      breakdown: [...p.lines, ...r.breakdown],
    };
  }

  // ─── input modes ──────────────────────────────────────────────────────────────────

  /**
   * The parcel values of a request: with a renewal code, read from the registry (summary,
   * zoning, street widening) and billing (regional value of the block for the year), each
   * value sent in the request winning over the data; otherwise the request's values.
   * Values a calculator needs and nobody supplied → CALC_INPUT_INVALID (REQUIRED).
   */
  private async resolve(src: ParcelSource, year: number, needs: Need[]): Promise<ResolvedParcel> {
    const need = new Set(needs);
    const sources: Record<string, string> = {};
    const out: ResolvedParcel = {
      inputs: {
        mode: src.renewalCode ? 'renewalCode' : 'explicit',
        renewalCode: null,
        jalaliYear: year,
        parcelAreaM2: null,
        wideningAffectedAreaM2: null,
        netArea: null,
        accessRoadWidth: null,
        zoneCode: src.zone ? (src.zoneCode ?? null) : null,
        use: null,
        regionalValue: null,
        sources,
      },
      netArea: src.netArea,
      accessRoadWidth: src.accessRoadWidth,
      zone: src.zone,
      zoneRef: src.zone && src.zoneCode ? { code: src.zoneCode } : undefined,
      use: src.use,
      regionalValue: src.regionalValue,
      lastPermit: src.lastPermit,
      lines: [],
    };
    for (const k of ['netArea', 'accessRoadWidth', 'zone', 'use', 'regionalValue', 'lastPermit'] as const) {
      if (src[k] !== undefined) sources[k] = 'request';
    }

    if (src.renewalCode) {
      const summary = await this.properties.summary(src.renewalCode, src.region);
      const code = summary.renewalCode;
      out.inputs.renewalCode = code;
      const [zoning, widening, landValue] = await Promise.all([
        out.zone === undefined && need.has('zone') ? this.properties.zoning(code) : null,
        out.netArea === undefined && need.has('netArea') ? this.properties.streetWidening(code) : null,
        out.regionalValue === undefined && need.has('regionalValue') ? this.billingTariffs.landValueForProperty(code, year) : null,
      ]);
      if (zoning) {
        out.zone = zoning.rules as unknown as ZoneRulesInput;
        out.zoneRef = { code: zoning.zoneCode, planName: zoning.planName, approvalDate: zoning.approvalDate };
        out.inputs.zoneCode = zoning.zoneCode;
        sources.zone = 'zoning';
      }
      if (widening) {
        const parcelArea = widening.parcelAreaM2 > 0 ? widening.parcelAreaM2 : summary.landArea;
        out.inputs.parcelAreaM2 = round2(parcelArea);
        out.inputs.wideningAffectedAreaM2 = widening.affectedAreaM2;
        out.netArea = round2(parcelArea - widening.affectedAreaM2);
        sources.netArea = widening.parcelAreaM2 > 0 ? 'parcel_minus_widening' : 'registry';
        const plans = widening.plans.map((w) => `${w.planName} (${w.approvalDate})`).join('، ');
        out.lines.push({
          key: 'parcel.widening',
          article: plans ? `street widening · ${plans}` : 'street widening · none',
          title: { fa: 'مساحت خالص پس از تعریض معبر', en: 'Net area after street widening' },
          formula: {
            fa: `${fmtFa(round2(parcelArea))} − ${fmtFa(widening.affectedAreaM2)} (در مسیر تعریض) = ${fmtFa(out.netArea)} متر مربع`,
            en: `${fmt(round2(parcelArea))} − ${fmt(widening.affectedAreaM2)} (in widening plans) = ${fmt(out.netArea)} m²`,
          },
          value: out.netArea,
          unit: 'm2',
          tariffYear: null,
        });
      }
      if (out.accessRoadWidth === undefined && summary.accessRoadWidth !== null && summary.accessRoadWidth > 0) {
        out.accessRoadWidth = summary.accessRoadWidth;
        sources.accessRoadWidth = 'registry';
      }
      if (out.use === undefined && isBuildingUse(summary.use)) {
        out.use = summary.use;
        sources.use = 'registry';
      }
      if (landValue) {
        out.regionalValue = landValue.landValuePerM2;
        sources.regionalValue = landValue.source === 'block' ? 'billing_block' : 'billing_default';
      }
      if (out.lastPermit === undefined && need.has('lastPermit') && summary.buildingArea > 0 && summary.landArea > 0) {
        out.lastPermit = { grossArea: summary.buildingArea, plotArea: summary.landArea, floors: summary.floors || undefined };
        sources.lastPermit = 'registry';
      }
    }

    const missing: FieldError[] = [];
    for (const k of needs) {
      if (k === 'lastPermit' || out[k] !== undefined) continue;
      missing.push({ field: k, code: 'REQUIRED', message: REQUIRED_TEXT[k] });
    }
    if (missing.length) throw CalculatorErrors.CALC_INPUT_INVALID({ fieldErrors: missing });

    out.inputs.netArea = out.netArea ?? null;
    out.inputs.accessRoadWidth = out.accessRoadWidth ?? null;
    out.inputs.use = out.use ?? null;
    out.inputs.regionalValue = need.has('regionalValue') ? (out.regionalValue ?? null) : null;
    return out;
  }
}

interface Attempt<T> {
  value: T;
  error: CalculationErrorDto | null;
}

/** A sample run: its result, or the coded refusal it answered (a preview shows both sides). */
function attempt<T>(run: () => T | null): Attempt<T | null> {
  try {
    return { value: run(), error: null };
  } catch (err) {
    if (err instanceof DomainError) return { value: null, error: { code: err.code, message: err.localized } };
    throw err;
  }
}

function tariffRef(t: CurrentTables): TariffRefDto {
  return { id: t.id, jalaliYear: t.jalaliYear, version: t.version };
}
