import { defineErrors } from '@app/common';

export const CalendarErrors = defineErrors({
  CALENDAR_DATE_INVALID: {
    status: 400,
    message: {
      fa: 'تاریخ معتبر نیست؛ به شکل ۱۴۰۴/۰۱/۱۲ (شمسی) یا 2025-04-01 (میلادی) وارد کنید.',
      en: 'Invalid date; use Jalali 1404-01-12 / 1404/01/12 or Gregorian 2025-04-01.',
    },
  },
  CALENDAR_RANGE_TOO_LONG: {
    status: 400,
    message: { fa: 'بازه تاریخ حداکثر ۴۰۰ روز است.', en: 'The date range may span at most 400 days.' },
  },
  CALENDAR_HOURS_INVALID: {
    status: 400,
    message: {
      fa: 'ساعت کار نامعتبر است: روز کاری باید ساعت شروع و پایان داشته باشد و شروع پیش از پایان باشد؛ روز تعطیل ساعت ندارد.',
      en: 'Invalid hours: a working or half day needs opensAt before closesAt; a holiday has none.',
    },
  },
  CALENDAR_DAY_NOT_FOUND: {
    status: 404,
    message: {
      fa: 'این روز در تقویم کاری ثبت نشده است؛ ابتدا سال آن را بسازید.',
      en: 'This day is not in the working calendar; generate its year first.',
    },
  },
  CALENDAR_YEAR_OUT_OF_RANGE: {
    status: 400,
    message: { fa: 'سال شمسی باید بین ۱۳۹۰ و ۱۴۵۰ باشد.', en: 'The Jalali year must be between 1390 and 1450.' },
  },
});
