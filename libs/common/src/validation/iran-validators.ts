import { ApiProperty } from '@nestjs/swagger';
import { registerDecorator, ValidationOptions } from 'class-validator';
import { isValidJalaliDate, isValidLegalId, isValidNationalId, normalizeMobile } from '@app/iran';

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

/** Jalali date `YYYY/MM/DD` that exists in the calendar. */
export const IsJalaliDate = simple(
  'isJalaliDate',
  (v) => {
    if (typeof v !== 'string') return false;
    const m = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/.exec(v);
    return !!m && isValidJalaliDate(Number(m[1]), Number(m[2]), Number(m[3]));
  },
  '$property must be a Jalali date YYYY/MM/DD',
  { maxLength: 10, pattern: '^\\d{4}/\\d{1,2}/\\d{1,2}$' },
);
