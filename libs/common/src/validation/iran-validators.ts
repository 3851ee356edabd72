import { registerDecorator, ValidationOptions } from 'class-validator';
import { isValidJalaliDate, isValidLegalId, isValidNationalId, JALALI_YEAR_RANGE, normalizeMobile } from '@app/iran';
import { isISO8601 } from 'class-validator';

function simple(name: string, test: (value: unknown) => boolean, message: string) {
  return (options?: ValidationOptions) => (object: object, propertyName: string) =>
    registerDecorator({
      name,
      target: object.constructor,
      propertyName,
      options: { message, ...options },
      validator: { validate: (value: unknown) => test(value) },
    });
}

/** 10-digit Iranian national ID with a valid checksum (کد ملی). */
export const IsNationalId = simple(
  'isNationalId',
  (v) => typeof v === 'string' && /^\d{10}$/.test(v) && isValidNationalId(v),
  '$property must be a valid 10-digit national ID (checksum)',
);

/** 11-digit legal-entity national ID (شناسه ملی) with a valid checksum. */
export const IsLegalId = simple(
  'isLegalId',
  (v) => typeof v === 'string' && /^\d{11}$/.test(v) && isValidLegalId(v),
  '$property must be a valid 11-digit legal national ID (checksum)',
);

/** Iranian mobile number in any common form (+98…, 0098…, 09…). */
export const IsIranMobile = simple(
  'isIranMobile',
  (v) => typeof v === 'string' && normalizeMobile(v) !== null,
  '$property must be an Iranian mobile number such as 09121234567',
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
);

/** The Gregorian years a person may type into this system (the same span as `JALALI_YEAR_RANGE`, roughly). */
export const GREGORIAN_YEAR_RANGE = { min: 1900, max: 2299 } as const;

/**
 * An ISO 8601 date or date-time (strict: the day must exist) of a year in
 * `GREGORIAN_YEAR_RANGE`: `0000-01-01` or `99999-01-01` are typos no database column holds.
 */
export const IsIsoDateTime = simple(
  'isIsoDateTime',
  (v) => {
    if (typeof v !== 'string' || !isISO8601(v, { strict: true })) return false;
    const t = new Date(v);
    const year = t.getUTCFullYear();
    return !Number.isNaN(t.getTime()) && year >= GREGORIAN_YEAR_RANGE.min && year <= GREGORIAN_YEAR_RANGE.max;
  },
  '$property must be an ISO 8601 date-time between the years 1900 and 2299',
);
