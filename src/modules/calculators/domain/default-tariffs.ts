/**
 * Demo tariff book: a plausible Qazvin-like set of tables for Jalali year 1405, and
 * demo regional values. Illustrative numbers (the real book is approved yearly by the
 * city council); admins replace them over the API. Data only: every formula is code.
 */
import type { TariffTables } from './tariffs';

export const DEFAULT_TARIFF_YEAR = 1405;

export const DEFAULT_TARIFFS_1405: TariffTables = {
  jalaliYear: 1405,
  title: {
    fa: 'تعرفه عوارض محلی و بهای خدمات شهرداری قزوین — سال ۱۴۰۵ (نمونه)',
    en: 'Qazvin municipality local fees and service charges — 1405 (demo)',
  },
  densityFee: {
    article: 'ماده ۸',
    title: { fa: 'عوارض صدور تراکم مازاد بر پایه', en: 'Density-issuance fee above base density' },
    // bands: density percentage points above base; rate: coefficient × regional value per m²
    byUse: {
      residential: [
        { from: 0, to: 30, rate: 0.8 },
        { from: 30, to: 60, rate: 1.0 },
        { from: 60, to: null, rate: 1.3 },
      ],
      commercial: [
        { from: 0, to: 30, rate: 1.8 },
        { from: 30, to: 60, rate: 2.2 },
        { from: 60, to: null, rate: 2.6 },
      ],
      office: [
        { from: 0, to: 30, rate: 1.2 },
        { from: 30, to: 60, rate: 1.5 },
        { from: 60, to: null, rate: 1.8 },
      ],
      mixed: [
        { from: 0, to: 30, rate: 1.4 },
        { from: 30, to: 60, rate: 1.7 },
        { from: 60, to: null, rate: 2.0 },
      ],
      educational: [{ from: 0, to: null, rate: 0.3 }],
      health: [{ from: 0, to: null, rate: 0.3 }],
      green: [{ from: 0, to: null, rate: 0.5 }],
    },
  },
  permitFees: [
    {
      key: 'permit-area',
      article: 'ماده ۳',
      title: { fa: 'عوارض صدور پروانه ساختمانی (زیربنا)', en: 'Building permit fee (gross area)' },
      basis: 'regionalValue',
      // bands: m² of gross area; rate: coefficient × regional value per m²
      byUse: {
        residential: [
          { from: 0, to: 200, rate: 0.06 },
          { from: 200, to: 400, rate: 0.08 },
          { from: 400, to: 800, rate: 0.1 },
          { from: 800, to: null, rate: 0.12 },
        ],
        commercial: [
          { from: 0, to: 100, rate: 0.3 },
          { from: 100, to: 300, rate: 0.4 },
          { from: 300, to: null, rate: 0.5 },
        ],
        office: [
          { from: 0, to: 200, rate: 0.15 },
          { from: 200, to: 600, rate: 0.2 },
          { from: 600, to: null, rate: 0.25 },
        ],
        mixed: [
          { from: 0, to: 200, rate: 0.12 },
          { from: 200, to: 600, rate: 0.16 },
          { from: 600, to: null, rate: 0.2 },
        ],
        educational: [{ from: 0, to: null, rate: 0.02 }],
        health: [{ from: 0, to: null, rate: 0.02 }],
        green: [{ from: 0, to: null, rate: 0.03 }],
      },
    },
    {
      key: 'fire-services',
      article: 'ماده ۲۱',
      title: { fa: 'بهای خدمات ایمنی و آتش‌نشانی', en: 'Fire and safety services charge' },
      basis: 'rialsPerM2',
      // rate: whole Rials per m²
      byUse: {
        residential: [{ from: 0, to: null, rate: 120_000 }],
        commercial: [{ from: 0, to: null, rate: 250_000 }],
        office: [{ from: 0, to: null, rate: 200_000 }],
        mixed: [{ from: 0, to: null, rate: 180_000 }],
        educational: [{ from: 0, to: null, rate: 60_000 }],
        health: [{ from: 0, to: null, rate: 60_000 }],
        green: [{ from: 0, to: null, rate: 60_000 }],
      },
    },
    {
      key: 'urban-services',
      article: 'ماده ۲۲',
      title: { fa: 'بهای خدمات آماده‌سازی و فضای سبز', en: 'Site preparation and green-space charge' },
      basis: 'rialsPerM2',
      // educational and health buildings are exempt (no entry)
      byUse: {
        residential: [
          { from: 0, to: 500, rate: 80_000 },
          { from: 500, to: null, rate: 100_000 },
        ],
        commercial: [{ from: 0, to: null, rate: 150_000 }],
        office: [{ from: 0, to: null, rate: 120_000 }],
        mixed: [{ from: 0, to: null, rate: 120_000 }],
        green: [{ from: 0, to: null, rate: 40_000 }],
      },
    },
  ],
  parkingDeficit: {
    article: 'ماده ۱۴',
    title: { fa: 'عوارض کسری پارکینگ', en: 'Parking-deficit fee' },
    spaceAreaM2: 25,
    coefficientByUse: {
      residential: 0.6,
      commercial: 1.2,
      office: 1.0,
      mixed: 1.0,
      educational: 0.3,
      health: 0.3,
      green: 0.3,
    },
  },
  floorAllowances: {
    article: 'ضوابط ساختمانی · بند ۵',
    stairsM2PerStorey: 14,
    elevatorShaftM2PerStorey: 4,
    elevatorFromStoreys: 4,
    balconyPercentOfFootprint: 8,
    roofStructureM2: 25,
    basementPercentOfNetArea: 100,
  },
};

/** The demo's tables by Jalali year. */
export const DEFAULT_TARIFFS: Readonly<Record<number, TariffTables>> = { 1405: DEFAULT_TARIFFS_1405 };

/**
 * Demo regional values (ارزش منطقه‌ای), whole Rials per m², by municipal region, for
 * 1405: only for examples and explicit-input calls. The real values are billing's
 * per-block table (billing_regional_value.land_value_per_m2 for the year, falling back to
 * the billing tariff's defaultLandValuePerM2); the HTTP layer must read those.
 */
export const DEMO_REGIONAL_VALUES_1405: Readonly<Record<1 | 2 | 3, number>> = {
  1: 24_000_000,
  2: 18_500_000,
  3: 13_000_000,
};
