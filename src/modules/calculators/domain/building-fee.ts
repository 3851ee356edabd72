/**
 * General estimate for a new building permit (محاسبه — برآورد عوارض پروانه ساختمانی).
 *
 * - Each permit-fee item of the year's tariff that applies to the use: the gross area is
 *   split over the item's area bands (m², slices like tax brackets) and each slice pays
 *   floor(slice m² × regional value × coefficient) (basis `regionalValue`) or
 *   floor(slice m² × Rials per m²) (basis `rialsPerM2`).
 * - Parking deficit: required spaces by the zone's parking rule minus provided spaces
 *   (never below 0); fee per missing space = floor(regional value × coefficient of the
 *   use × standard space area); deficit fee = spaces × fee per space.
 * - Total = Σ item lines + deficit fee. The density-issuance fee is separate (densityFee).
 */
import { CalculatorErrors } from '../calculators.errors';
import { centiToM2, feeRials, fmt, fmtBig, fmtBigFa, fmtFa, InputChecks, LIMITS, toCenti, toMilli, toMoney } from './numbers';
import { assertValidTariffTables, PermitFeeBasis, sliceOverBands, TariffTables } from './tariffs';
import { BreakdownLine, BuildingUse, isBuildingUse, LocalizedText, Money, ZoneRef, ZoneRulesInput } from './types';
import { assertUseAllowed, assertValidZone, parkingRequired, zoneArticle } from './zone';

export interface BuildingFeeInput {
  /** m² of the building's gross area (all storeys). */
  grossArea: number;
  use: BuildingUse;
  /** Whole Rials per m² (ارزش منطقه‌ای). */
  regionalValue: number;
  /** For the allowed uses and the parking rule. */
  zone: ZoneRulesInput;
  zoneRef?: ZoneRef;
  /** Residential units; default 0. */
  units?: number;
  /** Commercial floor area, m²; default 0. */
  commercialArea?: number;
  /** Parking spaces the design provides; default 0. */
  parkingProvided?: number;
  tariffs: TariffTables;
}

export interface BuildingFeeItemLine {
  band: number;
  from: number;
  to: number | null;
  /** m² of the slice. */
  area: number;
  /** Coefficient (basis regionalValue) or Rials per m² (basis rialsPerM2). */
  rate: number;
  amount: Money;
}

export interface BuildingFeeItem {
  key: string;
  article: string;
  title: LocalizedText;
  basis: PermitFeeBasis;
  lines: BuildingFeeItemLine[];
  amount: Money;
}

export interface BuildingFeeResult {
  tariffYear: number;
  use: BuildingUse;
  grossArea: number;
  regionalValue: number;
  items: BuildingFeeItem[];
  parking: {
    required: number;
    provided: number;
    deficit: number;
    coefficient: number;
    spaceAreaM2: number;
    feePerSpace: Money;
    fee: Money;
  };
  total: Money;
  breakdown: BreakdownLine[];
}

export function buildingFee(input: BuildingFeeInput): BuildingFeeResult {
  const c = new InputChecks();
  c.positive('grossArea', input.grossArea, LIMITS.grossArea);
  c.positive('regionalValue', input.regionalValue, LIMITS.regionalValue, true);
  c.nonNegative('units', input.units, LIMITS.units, true);
  c.nonNegative('commercialArea', input.commercialArea, LIMITS.grossArea);
  c.nonNegative('parkingProvided', input.parkingProvided, LIMITS.spaces, true);
  if (!isBuildingUse(input.use)) c.add('use', 'UNKNOWN_USE', 'کاربری ناشناخته است.', 'unknown use.');
  c.throwIfAny();
  assertValidZone(input.zone);
  assertValidTariffTables(input.tariffs);
  assertUseAllowed(input.zone, input.use, input.zoneRef);

  const { use, regionalValue: P, tariffs } = input;
  const year = tariffs.jalaliYear;
  const grossCenti = toCenti(input.grossArea);
  const lines: BreakdownLine[] = [];
  const tl = (l: Omit<BreakdownLine, 'tariffYear'>) => lines.push({ ...l, tariffYear: year });
  const zl = (l: Omit<BreakdownLine, 'tariffYear'>) => lines.push({ ...l, tariffYear: null });
  const Pfa = fmtBigFa(BigInt(P));
  const Pen = fmtBig(BigInt(P));

  tl({
    key: 'grossArea',
    article: 'input · grossArea',
    title: { fa: 'زیربنای کل ساختمان', en: 'Gross area of the building' },
    formula: { fa: `${fmtFa(centiToM2(grossCenti))} متر مربع`, en: `${fmt(centiToM2(grossCenti))} m²` },
    value: centiToM2(grossCenti),
    unit: 'm2',
  });
  tl({
    key: 'regionalValue',
    article: 'regionalValue',
    title: { fa: 'ارزش منطقه‌ای (P)', en: 'Regional value (P)' },
    formula: { fa: `${Pfa} ریال بر متر مربع`, en: `${Pen} Rials/m²` },
    value: P,
    unit: 'rial_per_m2',
  });

  let total = 0n;
  const items: BuildingFeeItem[] = [];
  let applicable = 0;
  for (const item of tariffs.permitFees) {
    const bands = item.byUse[use];
    if (!bands) continue;
    applicable++;
    let sum = 0n;
    const itemLines: BuildingFeeItemLine[] = [];
    for (const s of sliceOverBands(grossCenti, bands, toCenti)) {
      const amount =
        item.basis === 'regionalValue' ? feeRials(s.sizeCenti, P, toMilli(s.band.rate)) : feeRials(s.sizeCenti, s.band.rate, 1000);
      sum += amount;
      const money = toMoney(amount);
      itemLines.push({ band: s.index, from: s.band.from, to: s.band.to, area: centiToM2(s.sizeCenti), rate: s.band.rate, amount: money });
      const range = `[${fmt(s.band.from)}, ${s.band.to === null ? '∞' : fmt(s.band.to)}) m²`;
      const area = centiToM2(s.sizeCenti);
      tl({
        key: `item.${item.key}.${s.index}`,
        article: `${item.article} · ${use} · band ${s.index + 1}`,
        title: { fa: `${item.title.fa} — ${s.band.to === null ? `بیش از ${fmtFa(s.band.from)}` : `بازه ${fmtFa(s.band.from)} تا ${fmtFa(s.band.to)}`} متر مربع`, en: `${item.title.en} — band ${range}` },
        formula:
          item.basis === 'regionalValue'
            ? {
                fa: `کف(${fmtFa(area)} × ${Pfa} × ${fmtFa(s.band.rate)}) = ${money.formattedFa} ریال`,
                en: `floor(${fmt(area)} × ${Pen} × ${fmt(s.band.rate)}) = ${money.formatted} Rials`,
              }
            : {
                fa: `کف(${fmtFa(area)} × ${fmtBigFa(BigInt(s.band.rate))}) = ${money.formattedFa} ریال`,
                en: `floor(${fmt(area)} × ${fmtBig(BigInt(s.band.rate))}) = ${money.formatted} Rials`,
              },
        value: money.rials,
        unit: 'rial',
        amountWords: money.words,
      });
    }
    total += sum;
    items.push({ key: item.key, article: item.article, title: item.title, basis: item.basis, lines: itemLines, amount: toMoney(sum) });
  }
  if (applicable === 0) {
    throw CalculatorErrors.CALC_TARIFF_NOT_DEFINED({ extensions: { table: 'permitFees', use, jalaliYear: year } });
  }

  // parking deficit
  const units = input.units ?? 0;
  const commercialArea = centiToM2(toCenti(input.commercialArea ?? 0));
  const provided = input.parkingProvided ?? 0;
  const req = parkingRequired(input.zone, units, commercialArea);
  const deficit = Math.max(0, req.total - provided);
  const pd = tariffs.parkingDeficit;
  const coefficient = pd.coefficientByUse[use];
  const feePerSpace = feeRials(toCenti(pd.spaceAreaM2), P, toMilli(coefficient));
  const parkingFee = feePerSpace * BigInt(deficit);
  total += parkingFee;
  zl({
    key: 'parking.required',
    article: zoneArticle(input.zoneRef, 'parkingRule'),
    title: { fa: 'پارکینگ لازم، تأمین‌شده و کسری', en: 'Parking required, provided and missing' },
    formula: {
      fa: `لازم ${fmtFa(req.total)} (سقف(${fmtFa(units)} × ${fmtFa(input.zone.parkingRule.perUnit)}) + ${fmtFa(req.forCommercial)} تجاری)؛ کسری = بیشینه(۰، ${fmtFa(req.total)} − ${fmtFa(provided)}) = ${fmtFa(deficit)}`,
      en: `required ${req.total} (ceil(${units} × ${fmt(input.zone.parkingRule.perUnit)}) + ${req.forCommercial} commercial); deficit = max(0, ${req.total} − ${provided}) = ${deficit}`,
    },
    value: deficit,
    unit: 'spaces',
  });
  const perSpace = toMoney(feePerSpace);
  tl({
    key: 'parking.feePerSpace',
    article: `${pd.article} · ${use}`,
    title: { fa: `${pd.title.fa} — هر واحد`, en: `${pd.title.en} — per space` },
    formula: {
      fa: `کف(${Pfa} × ${fmtFa(coefficient)} × ${fmtFa(pd.spaceAreaM2)}) = ${perSpace.formattedFa} ریال`,
      en: `floor(${Pen} × ${fmt(coefficient)} × ${fmt(pd.spaceAreaM2)}) = ${perSpace.formatted} Rials`,
    },
    value: perSpace.rials,
    unit: 'rial',
    amountWords: perSpace.words,
  });
  const parkingMoney = toMoney(parkingFee);
  tl({
    key: 'parking.fee',
    article: pd.article,
    title: { fa: pd.title.fa, en: pd.title.en },
    formula: {
      fa: `${fmtFa(deficit)} × ${perSpace.formattedFa} = ${parkingMoney.formattedFa} ریال`,
      en: `${deficit} × ${perSpace.formatted} = ${parkingMoney.formatted} Rials`,
    },
    value: parkingMoney.rials,
    unit: 'rial',
    amountWords: parkingMoney.words,
  });

  const totalMoney = toMoney(total);
  tl({
    key: 'total',
    article: tariffs.title.en,
    title: { fa: 'جمع برآورد عوارض پروانه ساختمانی', en: 'Total building-permit estimate' },
    formula: {
      fa: `${[...items.map((i) => i.amount.formattedFa), parkingMoney.formattedFa].join(' + ')} = ${totalMoney.formattedFa} ریال`,
      en: `${[...items.map((i) => i.amount.formatted), parkingMoney.formatted].join(' + ')} = ${totalMoney.formatted} Rials`,
    },
    value: totalMoney.rials,
    unit: 'rial',
    amountWords: totalMoney.words,
  });

  return {
    tariffYear: year,
    use,
    grossArea: centiToM2(grossCenti),
    regionalValue: P,
    items,
    parking: {
      required: req.total,
      provided,
      deficit,
      coefficient,
      spaceAreaM2: pd.spaceAreaM2,
      feePerSpace: perSpace,
      fee: parkingMoney,
    },
    total: totalMoney,
    breakdown: lines,
  };
}
