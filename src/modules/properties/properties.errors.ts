import { defineErrors } from '@app/common';

export const PropertiesErrors = defineErrors({
  RENEWAL_CODE_INVALID: {
    status: 400,
    message: {
      fa: 'کد نوسازی معتبر نیست؛ هفت بخش عددی مانند ۱-۲-۳۴-۵۶-۰-۰-۰ وارد کنید.',
      en: 'Invalid renewal code; use seven numeric parts such as 1-2-34-56-0-0-0.',
    },
  },
  REGION_MISMATCH: {
    status: 400,
    message: {
      fa: 'منطقه واردشده با منطقه کد نوسازی یکسان نیست.',
      en: 'The region given does not match the region in the renewal code.',
    },
  },
  PROPERTY_NOT_FOUND: {
    status: 404,
    message: { fa: 'ملکی با این کد نوسازی پیدا نشد.', en: 'No property has this renewal code.' },
  },
  BBOX_INVALID: {
    status: 400,
    message: {
      fa: 'محدوده نقشه معتبر نیست؛ به شکل minLon,minLat,maxLon,maxLat وارد کنید.',
      en: 'Invalid bbox; use minLon,minLat,maxLon,maxLat.',
    },
  },
  BBOX_TOO_LARGE: {
    status: 400,
    message: {
      fa: 'محدوده نقشه بیش از حد بزرگ است؛ نقشه را بزرگ‌نمایی کنید.',
      en: 'The bbox is too large; zoom in.',
    },
  },
  MAP_TOO_MANY_FEATURES: {
    status: 400,
    message: {
      fa: 'تعداد قطعه‌ها در این محدوده بیش از حد مجاز است؛ نقشه را بزرگ‌نمایی کنید.',
      en: 'Too many parcels in this area; zoom in.',
    },
  },
  PARCEL_NOT_FOUND_AT_POINT: {
    status: 404,
    message: { fa: 'در این نقطه قطعه ملکی ثبت نشده است.', en: 'No parcel at this point.' },
  },
  POINT_INVALID: {
    status: 400,
    message: { fa: 'مختصات نقطه معتبر نیست.', en: 'Invalid coordinates.' },
  },
  LAYER_NOT_FOUND: {
    status: 404,
    message: { fa: 'این لایه نقشه وجود ندارد.', en: 'No such map layer.' },
  },
  ZONE_NOT_FOUND: {
    status: 404,
    message: {
      fa: 'ضابطه طرح تفصیلی برای این ملک ثبت نشده است؛ به میز خدمت منطقه مراجعه کنید.',
      en: 'No detailed-plan zone covers this parcel; contact the region desk.',
    },
  },
  SEARCH_CRITERIA_REQUIRED: {
    status: 400,
    message: { fa: 'دست‌کم یکی از معیارهای جستجو را وارد کنید.', en: 'Give at least one search criterion.' },
  },
  IMPORT_FILE_INVALID: {
    status: 400,
    message: {
      fa: 'پرونده بارگذاری‌شده GeoJSON معتبر نیست؛ یک FeatureCollection در قالب JSON در فیلد file بفرستید.',
      en: 'The upload is not a valid GeoJSON file; send one FeatureCollection as JSON in the form field `file`.',
    },
  },
  IMPORT_TOO_MANY_FEATURES: {
    status: 400,
    message: {
      fa: 'تعداد عوارض پرونده بیش از حد مجاز است؛ پرونده را به چند بخش تقسیم کنید.',
      en: 'The file has too many features; split it into several files.',
    },
  },
  IMPORT_REJECTED: {
    status: 422,
    message: {
      fa: 'بارگذاری انجام نشد: برخی عوارض پرونده معتبر نیستند و هیچ داده‌ای ثبت نشد. فهرست خطاها را ببینید.',
      en: 'Import rejected: some features are invalid and nothing was written. See the list of rejections.',
    },
  },
  ZONE_RULES_INVALID: {
    status: 400,
    message: {
      fa: 'ضوابط پهنه معتبر نیست؛ مقادیر منفی، تراکم حداکثر کمتر از تراکم پایه یا بازه‌های تراکم دارای همپوشانی یا فاصله مجاز نیست.',
      en: 'Invalid zone rules: no negative numbers, max density at least the base density, density bands without gaps or overlaps.',
    },
  },
  ZONE_CODE_NOT_FOUND: {
    status: 404,
    message: { fa: 'پهنه‌ای با این کد در طرح تفصیلی ثبت نشده است.', en: 'No zone has this code.' },
  },
  OWNER_SHARES_INVALID: {
    status: 400,
    message: {
      fa: 'مجموع سهم مالکان باید دقیقاً ۱۰۰ درصد (شش دانگ) باشد و هر مالک یک بار بیاید.',
      en: 'Owner shares must add up to exactly 100 percent (six dang), each owner listed once.',
    },
  },
  CERTIFICATE_NOT_FOUND: {
    status: 404,
    message: { fa: 'گواهی با این شماره درخواست برای این ملک ثبت نشده است.', en: 'This property has no certificate with this request number.' },
  },
  CERTIFICATE_DUPLICATE: {
    status: 409,
    message: { fa: 'گواهی با این شماره درخواست قبلاً ثبت شده است.', en: 'A certificate with this request number already exists.' },
  },
});
