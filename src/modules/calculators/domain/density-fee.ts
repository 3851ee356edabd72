/**
 * Density-issuance fee (محاسبه عوارض صدور تراکم ساختمانی).
 *
 * For a requested gross area counted in density (m²) on a parcel's NET area:
 * - base area = net area × base density %; maximum area = net area × maximum density %;
 * - requested above the maximum area → CALC_DENSITY_ABOVE_MAXIMUM (refused);
 * - chargeable area = max(0, requested − base area);
 * - the chargeable area is split over the year's bands for the use (bands in density
 *   percentage points above the base: a band [from, to) covers the areas
 *   base + net × from% … base + net × to%); each slice pays
 *   floor(slice m² × regional value × coefficient) Rials; the fee is the sum of slices.
 */
import { CalculatorErrors } from '../calculators.errors';
import { centiToM2, feeRials, fmt, fmtBig, fmtBigFa, fmtFa, InputChecks, LIMITS, percentOfCenti, toCenti, toMilli, toMoney } from './numbers';
import { assertValidTariffTables, sliceOverBands, TariffTables } from './tariffs';
import { BreakdownLine, BuildingUse, isBuildingUse, Money, ZoneRef, ZoneRulesInput } from './types';
import { assertUseAllowed, assertValidZone, matchZoneBand, zoneArticle } from './zone';

export interface DensityFeeInput {
  /** m², the parcel's NET area after street widening. */
  netArea: number;
  /** m; when given, the allowed (band) density is reported too. */
  accessRoadWidth?: number;
  zone: ZoneRulesInput;
  zoneRef?: ZoneRef;
  /** m² of gross area counted in density that is requested (e.g. floorAreas().totals.densityArea). */
  requestedGrossArea: number;
  use: BuildingUse;
  /** Whole Rials per m² (ارزش منطقه‌ای) of the parcel's frontage/block for the year. */
  regionalValue: number;
  tariffs: TariffTables;
}

export interface DensityFeeSlice {
  /** Index of the tariff band. */
  band: number;
  /** Density points above base: [from, to). */
  fromPoints: number;
  toPoints: number | null;
  /** m² of the slice. */
  area: number;
  coefficient: number;
  amount: Money;
}

export interface DensityFeeResult {
  tariffYear: number;
  use: BuildingUse;
  netArea: number;
  regionalValue: number;
  requestedGrossArea: number;
  /** requested ÷ net area × 100 (two decimals). */
  requestedDensityPercent: number;
  baseDensityPercent: number;
  allowedDensityPercent: number | null;
  maxDensityPercent: number;
  baseGrossArea: number;
  maxGrossArea: number;
  /** m² above the base density. */
  chargeableArea: number;
  slices: DensityFeeSlice[];
  total: Money;
  breakdown: BreakdownLine[];
}

export function densityFee(input: DensityFeeInput): DensityFeeResult {
  const c = new InputChecks();
  c.positive('netArea', input.netArea, LIMITS.area);
  if (input.accessRoadWidth !== undefined) c.positive('accessRoadWidth', input.accessRoadWidth, LIMITS.roadWidth);
  c.positive('requestedGrossArea', input.requestedGrossArea, LIMITS.grossArea);
  c.positive('regionalValue', input.regionalValue, LIMITS.regionalValue, true);
  if (!isBuildingUse(input.use)) c.add('use', 'UNKNOWN_USE', 'کاربری ناشناخته است.', 'unknown use.');
  c.throwIfAny();
  assertValidZone(input.zone);
  assertValidTariffTables(input.tariffs);
  assertUseAllowed(input.zone, input.use, input.zoneRef);

  const { zone, zoneRef: ref, use, regionalValue: P } = input;
  const year = input.tariffs.jalaliYear;
  const table = input.tariffs.densityFee;
  const bands = table.byUse[use];
  if (!bands) throw CalculatorErrors.CALC_TARIFF_NOT_DEFINED({ extensions: { table: 'densityFee', use, jalaliYear: year } });

  const netCenti = toCenti(input.netArea);
  const netArea = centiToM2(netCenti);
  const reqCenti = toCenti(input.requestedGrossArea);
  const baseCenti = percentOfCenti(netCenti, zone.baseDensityPercent);
  const maxCenti = percentOfCenti(netCenti, zone.maxDensityPercent);
  const requestedDensityPercent = Math.round((reqCenti * 10_000) / netCenti) / 100;

  if (reqCenti > maxCenti) {
    throw CalculatorErrors.CALC_DENSITY_ABOVE_MAXIMUM({
      message: {
        fa: `زیربنای درخواستی ${fmtFa(centiToM2(reqCenti))} متر مربع (تراکم ${fmtFa(requestedDensityPercent)}٪) از حداکثر ${fmtFa(centiToM2(maxCenti))} متر مربع (تراکم ${fmtFa(zone.maxDensityPercent)}٪) بیشتر است و قابل صدور نیست.`,
        en: `The requested ${fmt(centiToM2(reqCenti))} m² (density ${fmt(requestedDensityPercent)}%) is above the maximum ${fmt(centiToM2(maxCenti))} m² (density ${fmt(zone.maxDensityPercent)}%) and cannot be issued.`,
      },
      fieldErrors: [
        {
          field: 'requestedGrossArea',
          code: 'maxDensityPercent',
          message: {
            fa: `حداکثر ${fmtFa(centiToM2(maxCenti))} متر مربع`,
            en: `at most ${fmt(centiToM2(maxCenti))} m²`,
          },
        },
      ],
      extensions: {
        rule: 'maxDensityPercent',
        maxDensityPercent: zone.maxDensityPercent,
        maxGrossArea: centiToM2(maxCenti),
        requestedGrossArea: centiToM2(reqCenti),
      },
    });
  }

  const lines: BreakdownLine[] = [];
  const zl = (l: Omit<BreakdownLine, 'tariffYear'>) => lines.push({ ...l, tariffYear: null });
  const tl = (l: Omit<BreakdownLine, 'tariffYear'>) => lines.push({ ...l, tariffYear: year });

  zl({
    key: 'parcel.netArea',
    article: 'parcel · netArea',
    title: { fa: 'مساحت خالص عرصه (پس از تعریض)', en: 'Net plot area (after street widening)' },
    formula: { fa: `${fmtFa(netArea)} متر مربع`, en: `${fmt(netArea)} m²` },
    value: netArea,
    unit: 'm2',
  });
  zl({
    key: 'area.base',
    article: zoneArticle(ref, 'baseDensityPercent'),
    title: { fa: 'زیربنا با تراکم پایه', en: 'Gross area at base density' },
    formula: {
      fa: `${fmtFa(netArea)} × ${fmtFa(zone.baseDensityPercent)}٪ = ${fmtFa(centiToM2(baseCenti))} متر مربع`,
      en: `${fmt(netArea)} × ${fmt(zone.baseDensityPercent)}% = ${fmt(centiToM2(baseCenti))} m²`,
    },
    value: centiToM2(baseCenti),
    unit: 'm2',
  });
  zl({
    key: 'area.max',
    article: zoneArticle(ref, 'maxDensityPercent'),
    title: { fa: 'حداکثر زیربنا (حداکثر تراکم)', en: 'Maximum gross area (maximum density)' },
    formula: {
      fa: `${fmtFa(netArea)} × ${fmtFa(zone.maxDensityPercent)}٪ = ${fmtFa(centiToM2(maxCenti))} متر مربع`,
      en: `${fmt(netArea)} × ${fmt(zone.maxDensityPercent)}% = ${fmt(centiToM2(maxCenti))} m²`,
    },
    value: centiToM2(maxCenti),
    unit: 'm2',
  });

  let allowedDensityPercent: number | null = null;
  if (input.accessRoadWidth !== undefined) {
    const m = matchZoneBand(zone, netCenti, input.accessRoadWidth);
    allowedDensityPercent = Math.min(zone.maxDensityPercent, m ? m.band.densityPercent : zone.baseDensityPercent);
    zl({
      key: 'density.allowed',
      article: zoneArticle(ref, m ? `bands.${m.index}` : 'baseDensityPercent'),
      title: { fa: 'تراکم مجاز (بازه مساحت و عرض معبر)', en: 'Allowed density (plot-area and road-width band)' },
      formula: { fa: `${fmtFa(allowedDensityPercent)}٪`, en: `${fmt(allowedDensityPercent)}%` },
      value: allowedDensityPercent,
      unit: 'percent',
    });
  }

  const chargeCenti = Math.max(0, reqCenti - baseCenti);
  zl({
    key: 'area.chargeable',
    article: zoneArticle(ref, 'baseDensityPercent'),
    title: { fa: 'زیربنای مازاد بر تراکم پایه', en: 'Area above base density' },
    formula: {
      fa: `بیشینه(۰، ${fmtFa(centiToM2(reqCenti))} − ${fmtFa(centiToM2(baseCenti))}) = ${fmtFa(centiToM2(chargeCenti))} متر مربع`,
      en: `max(0, ${fmt(centiToM2(reqCenti))} − ${fmt(centiToM2(baseCenti))}) = ${fmt(centiToM2(chargeCenti))} m²`,
    },
    value: centiToM2(chargeCenti),
    unit: 'm2',
  });
  tl({
    key: 'regionalValue',
    article: 'regionalValue',
    title: { fa: 'ارزش منطقه‌ای (P)', en: 'Regional value (P)' },
    formula: { fa: `${fmtBigFa(BigInt(P))} ریال بر متر مربع`, en: `${fmtBig(BigInt(P))} Rials/m²` },
    value: P,
    unit: 'rial_per_m2',
  });

  const slices: DensityFeeSlice[] = [];
  let total = 0n;
  for (const s of sliceOverBands(chargeCenti, bands, (points) => percentOfCenti(netCenti, points))) {
    const milli = toMilli(s.band.rate);
    const amount = feeRials(s.sizeCenti, P, milli);
    total += amount;
    const money = toMoney(amount);
    const range = `[${fmt(s.band.from)}, ${s.band.to === null ? '∞' : fmt(s.band.to)})`;
    slices.push({ band: s.index, fromPoints: s.band.from, toPoints: s.band.to, area: centiToM2(s.sizeCenti), coefficient: s.band.rate, amount: money });
    tl({
      key: `fee.slice.${s.index}`,
      article: `${table.article} · ${use} · band ${s.index + 1}`,
      title: {
        fa: `${table.title.fa} — ${s.band.to === null ? `بیش از ${fmtFa(s.band.from)}` : `${fmtFa(s.band.from)} تا ${fmtFa(s.band.to)}`} درصد مازاد بر پایه`,
        en: `${table.title.en} — band ${range} points above base`,
      },
      formula: {
        fa: `کف(${fmtFa(centiToM2(s.sizeCenti))} × ${fmtBigFa(BigInt(P))} × ${fmtFa(s.band.rate)}) = ${fmtBigFa(amount)} ریال`,
        en: `floor(${fmt(centiToM2(s.sizeCenti))} × ${fmtBig(BigInt(P))} × ${fmt(s.band.rate)}) = ${fmtBig(amount)} Rials`,
      },
      value: money.rials,
      unit: 'rial',
      amountWords: money.words,
    });
  }
  const totalMoney = toMoney(total);
  tl({
    key: 'fee.total',
    article: table.article,
    title: { fa: `جمع ${table.title.fa}`, en: `Total ${table.title.en}` },
    formula: {
      fa: `${slices.length > 0 ? slices.map((s) => s.amount.formattedFa).join(' + ') : '۰'} = ${totalMoney.formattedFa} ریال`,
      en: `${slices.length > 0 ? slices.map((s) => s.amount.formatted).join(' + ') : '0'} = ${totalMoney.formatted} Rials`,
    },
    value: totalMoney.rials,
    unit: 'rial',
    amountWords: totalMoney.words,
  });

  return {
    tariffYear: year,
    use,
    netArea,
    regionalValue: P,
    requestedGrossArea: centiToM2(reqCenti),
    requestedDensityPercent,
    baseDensityPercent: zone.baseDensityPercent,
    allowedDensityPercent,
    maxDensityPercent: zone.maxDensityPercent,
    baseGrossArea: centiToM2(baseCenti),
    maxGrossArea: centiToM2(maxCenti),
    chargeableArea: centiToM2(chargeCenti),
    slices,
    total: totalMoney,
    breakdown: lines,
  };
}
