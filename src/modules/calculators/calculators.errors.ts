// Imported from the errors file itself (not the '@app/common' barrel) so the pure
// calculator domain, which throws these, does not load Nest through the barrel.
import { defineErrors } from '@app/common/errors/domain-error';

/**
 * Errors of the calculators. Inputs that are zero, negative, not a number or beyond the
 * supported range are `CALC_INPUT_INVALID` (400) with one field error per offending
 * field; a request the rules refuse is 422 and names the rule in `extensions.rule`.
 */
export const CalculatorErrors = defineErrors({
  CALC_INPUT_INVALID: {
    status: 400,
    message: {
      fa: 'اطلاعات واردشده برای محاسبه معتبر نیست؛ فیلدهای نادرست مشخص شده‌اند.',
      en: 'The calculation input is invalid; the offending fields are listed.',
    },
  },
  CALC_ZONE_RULES_INVALID: {
    status: 400,
    message: {
      fa: 'ضوابط پهنه (طرح تفصیلی) برای محاسبه معتبر نیست.',
      en: 'The zone rules (detailed plan) are not valid for a calculation.',
    },
  },
  CALC_USE_NOT_ALLOWED: {
    status: 422,
    message: {
      fa: 'این کاربری در پهنه ملک مجاز نیست.',
      en: 'This use is not allowed in the parcel’s zone.',
    },
  },
  CALC_LAYOUT_EXCEEDS_RULES: {
    status: 422,
    message: {
      fa: 'طبقات درخواستی از ضوابط پهنه بیشتر است.',
      en: 'The requested layout exceeds the zone rules.',
    },
  },
  CALC_DENSITY_ABOVE_MAXIMUM: {
    status: 422,
    message: {
      fa: 'زیربنای درخواستی از حداکثر تراکم مجاز پهنه بیشتر است و قابل صدور نیست.',
      en: 'The requested gross area is above the zone’s maximum density and cannot be issued.',
    },
  },
  CALC_AMOUNT_OUT_OF_RANGE: {
    status: 400,
    message: {
      fa: 'مبلغ محاسبه‌شده از بازه قابل پشتیبانی (کمتر از ۱۰ به توان ۱۵ ریال) بیشتر است؛ ورودی‌ها را بررسی کنید.',
      en: 'The computed amount is beyond the supported range (below 10^15 Rials); check the inputs.',
    },
  },
  CALC_TARIFF_NOT_DEFINED: {
    status: 422,
    message: {
      fa: 'برای این کاربری در تعرفه سال موردنظر ردیفی تعریف نشده است.',
      en: 'The year’s tariff defines no rate for this use.',
    },
  },
  CALC_TARIFF_YEAR_NOT_FOUND: {
    status: 404,
    message: {
      fa: 'برای این سال جدول تعرفه و ضرایب محاسبه‌گرها ثبت نشده است.',
      en: 'No calculator tariff tables are recorded for this Jalali year.',
    },
  },
  TARIFF_TABLES_INVALID: {
    status: 400,
    message: {
      fa: 'جدول‌های تعرفه و ضرایب معتبر نیست؛ خطاهای هر ردیف مشخص شده‌اند.',
      en: 'The tariff and coefficient tables are invalid; each problem is listed by field.',
    },
  },
});
