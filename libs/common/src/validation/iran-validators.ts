import { ApiProperty } from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { registerDecorator, ValidationOptions } from 'class-validator';
import { isoDay, isValidLegalId, isValidNationalId, jalaliDay, normalizeMobile, parseTypedDay } from '@app/iran';
import { isISO8601 } from 'class-validator';

/**
 * A validator whose accepted strings are never longer than `schema.maxLength`: the OpenAPI
 * property states that bound (and the pattern) beside the check, so the contract says what
 * the pipe enforces.
 */
function simple(name: string, test: (value: unknown) => boolean, message: string, schema: { maxLength: number; pattern?: string }) {
  return (options?: ValidationOptions) => (object: object, propertyName: string) => {
    registerDecorator({
      name,
      target: object.constructor,
      propertyName,
      options: { message, ...options },
      validator: { validate: (value: unknown) => test(value) },
    });
    ApiProperty(options?.each ? { isArray: true, items: { type: 'string', ...schema } } : schema)(object, propertyName);
  };
}

/** 10-digit Iranian national ID with a valid checksum (کد ملی). */
export const IsNationalId = simple(
  'isNationalId',
  (v) => typeof v === 'string' && /^\d{10}$/.test(v) && isValidNationalId(v),
  '$property must be a valid 10-digit national ID (checksum)',
  { maxLength: 10, pattern: '^\\d{10}$' },
);

/** 11-digit legal-entity national ID (شناسه ملی) with a valid checksum. */
export const IsLegalId = simple(
  'isLegalId',
  (v) => typeof v === 'string' && /^\d{11}$/.test(v) && isValidLegalId(v),
  '$property must be a valid 11-digit legal national ID (checksum)',
  { maxLength: 11, pattern: '^\\d{11}$' },
);

/** Room for the longest form (`0098 (912) 123-4567`) with spaces or invisible marks pasted along. */
const MOBILE_MAX_LENGTH = 32;

/** Iranian mobile number in any common form (+98…, 0098…, 09…). */
export const IsIranMobile = simple(
  'isIranMobile',
  (v) => typeof v === 'string' && v.length <= MOBILE_MAX_LENGTH && normalizeMobile(v) !== null,
  '$property must be an Iranian mobile number such as 09121234567',
  { maxLength: MOBILE_MAX_LENGTH },
);

/** The forms of a typed day every date field accepts, as its error and its documentation state them. */
export const CALENDAR_DAY_FORMATS = {
  en: 'Jalali YYYY/MM/DD such as 1405/09/15 (or 1405-09-15, Persian digits too) or Gregorian YYYY-MM-DD such as 2026-12-06',
  fa: 'شمسی به شکل ۱۴۰۵/۰۹/۱۵ (یا ۱۴۰۵-۰۹-۱۵) یا میلادی به شکل 2026-12-06',
} as const;

export interface CalendarDayOptions extends ValidationOptions {
  /**
   * The form the DTO receives the day in: `gregorian` (default) `YYYY-MM-DD`, or `jalali`
   * `YYYY/MM/DD` where the day is kept as Jalali (a birth date compared with the civil
   * registry, a letter's date printed on the answer, a plan's approval date).
   */
  as?: 'gregorian' | 'jalali';
}

/**
 * The one date policy for a day a person types: Jalali (`1404/08/20`, `1404-08-20`,
 * Persian digits) or Gregorian (`2025-11-11`), Asia/Tehran calendar days, Jalali years
 * 1200–1699 and Gregorian 1900–2299. The value is converted at the boundary: the DTO
 * receives the Gregorian `YYYY-MM-DD`, or with `{ as: 'jalali' }` the Jalali `YYYY/MM/DD`.
 * Anything else is one `isCalendarDay` field error naming the accepted forms.
 */
export function IsCalendarDay(options: CalendarDayOptions = {}): PropertyDecorator {
  const { as = 'gregorian', ...validation } = options;
  const form = as === 'jalali' ? jalaliDay : isoDay;
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => {
      const day = typeof value === 'string' ? parseTypedDay(value) : null;
      return day ? form(day) : value;
    }),
    (as === 'jalali' ? jalaliCalendarDay : gregorianCalendarDay)(validation) as PropertyDecorator,
  );
}

const CALENDAR_DAY_MESSAGE = `$property must be a date: ${CALENDAR_DAY_FORMATS.en}`;

const gregorianCalendarDay = simple(
  'isCalendarDay',
  (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && parseTypedDay(v) !== null,
  CALENDAR_DAY_MESSAGE,
  { maxLength: 10 },
);

const jalaliCalendarDay = simple(
  'isCalendarDay',
  (v) => typeof v === 'string' && /^\d{4}\/\d{2}\/\d{2}$/.test(v) && parseTypedDay(v) !== null,
  CALENDAR_DAY_MESSAGE,
  { maxLength: 10 },
);

/** The Gregorian years a person may type into this system (the same span as `JALALI_YEAR_RANGE`, roughly). */
export const GREGORIAN_YEAR_RANGE = { min: 1900, max: 2299 } as const;

/** Room for `2026-11-25T08:30:00.000000+03:30` and then some. */
const ISO_DATE_TIME_MAX_LENGTH = 40;

/**
 * An ISO 8601 date or date-time (strict: the day must exist) of a year in
 * `GREGORIAN_YEAR_RANGE`: `0000-01-01` or `99999-01-01` are typos no database column holds.
 */
export const IsIsoDateTime = simple(
  'isIsoDateTime',
  (v) => {
    if (typeof v !== 'string' || v.length > ISO_DATE_TIME_MAX_LENGTH || !isISO8601(v, { strict: true })) return false;
    const t = new Date(v);
    const year = t.getUTCFullYear();
    return !Number.isNaN(t.getTime()) && year >= GREGORIAN_YEAR_RANGE.min && year <= GREGORIAN_YEAR_RANGE.max;
  },
  '$property must be an ISO 8601 date-time between the years 1900 and 2299',
  { maxLength: ISO_DATE_TIME_MAX_LENGTH },
);
