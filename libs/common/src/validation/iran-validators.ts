import { registerDecorator, ValidationOptions } from 'class-validator';
import { isValidJalaliDate, isValidLegalId, isValidNationalId, normalizeMobile } from '@app/iran';

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

/** Jalali date `YYYY/MM/DD` that exists in the calendar. */
export const IsJalaliDate = simple(
  'isJalaliDate',
  (v) => {
    if (typeof v !== 'string') return false;
    const m = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/.exec(v);
    return !!m && isValidJalaliDate(Number(m[1]), Number(m[2]), Number(m[3]));
  },
  '$property must be a Jalali date YYYY/MM/DD',
);
