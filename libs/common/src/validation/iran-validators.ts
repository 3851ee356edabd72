import { ApiProperty } from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { registerDecorator, ValidationOptions } from 'class-validator';
import { isoDay, isValidJalaliDate, isValidLegalId, isValidNationalId, JALALI_YEAR_RANGE, normalizeMobile, parseTypedDay } from '@app/iran';
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

/** Jalali date `YYYY/MM/DD` that exists in the calendar, in `JALALI_YEAR_RANGE` (1200–1699). */
export const IsJalaliDate = simple(
  'isJalaliDate',
  (v) => {
    if (typeof v !== 'string') return false;
    const m = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/.exec(v);
    const jy = Number(m?.[1]);
    return !!m && jy >= JALALI_YEAR_RANGE.min && jy <= JALALI_YEAR_RANGE.max && isValidJalaliDate(jy, Number(m[2]), Number(m[3]));
  },
  '$property must be a Jalali date YYYY/MM/DD between 1200 and 1699',
  { maxLength: 10, pattern: '^\\d{4}/\\d{1,2}/\\d{1,2}$' },
);

/**
 * A day as a person types it, Jalali (`1405/09/15`, Persian digits too) or Gregorian
 * (`2026-12-06`); the DTO receives it as the Gregorian `YYYY-MM-DD` (Asia/Tehran calendar day).
 */
export function IsCalendarDay(options?: ValidationOptions): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => {
      const day = typeof value === 'string' ? parseTypedDay(value) : null;
      return day ? isoDay(day) : value;
    }),
    calendarDay(options) as PropertyDecorator,
  );
}

const calendarDay = simple(
  'isCalendarDay',
  (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && parseTypedDay(v) !== null,
  '$property must be a date: Jalali like 1405/09/15 or Gregorian like 2026-12-06',
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
