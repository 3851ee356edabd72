import { defineErrors } from './domain-error';

/** Errors every part of the API can answer with. */
export const CommonErrors = defineErrors({
  VALIDATION_FAILED: {
    status: 400,
    message: { fa: 'اطلاعات ارسال‌شده معتبر نیست.', en: 'The request contains invalid data.' },
  },
  MALFORMED_JSON: {
    status: 400,
    message: { fa: 'بدنه درخواست JSON معتبر نیست.', en: 'The request body is not valid JSON.' },
  },
  INPUT_TOO_DEEP: {
    status: 400,
    message: {
      fa: 'ساختار داده ارسالی بیش از حد تودرتو است.',
      en: 'The request data is nested too deeply.',
    },
  },
  INPUT_TOO_LARGE: {
    status: 400,
    message: {
      fa: 'تعداد مقادیر داده ارسالی بیش از حد مجاز است.',
      en: 'The request data has too many values.',
    },
  },
  INPUT_CONTROL_CHARACTER: {
    status: 400,
    message: {
      fa: 'داده ارسالی نویسه کنترلی نامجاز (مانند NUL) دارد.',
      en: 'The request contains a forbidden control character (such as NUL).',
    },
  },
  INPUT_INVALID_UNICODE: {
    status: 400,
    message: {
      fa: 'متن ارسالی یونی‌کد معتبر نیست (نیمه‌ای از یک نویسه).',
      en: 'The request contains text that is not valid Unicode (an unpaired surrogate).',
    },
  },
  REQUEST_HEADERS_TOO_LARGE: {
    status: 431,
    message: {
      fa: 'نشانی یا سرآیندهای درخواست بیش از حد بزرگ است.',
      en: 'The request line or headers are too large.',
    },
  },
  BODY_ENCODING_INVALID: {
    status: 400,
    message: {
      fa: 'بدنه درخواست با Content-Encoding اعلام‌شده خوانا نیست.',
      en: 'The request body cannot be decoded with its declared Content-Encoding.',
    },
  },
  BAD_REQUEST: {
    status: 400,
    message: { fa: 'درخواست نادرست است.', en: 'The request is not valid.' },
  },
  UNAUTHENTICATED: {
    status: 401,
    message: { fa: 'ابتدا وارد سامانه شوید.', en: 'Authentication is required.' },
  },
  FORBIDDEN: {
    status: 403,
    message: { fa: 'شما اجازه این کار را ندارید.', en: 'You are not allowed to do this.' },
  },
  NOT_FOUND: {
    status: 404,
    message: { fa: 'مورد درخواست‌شده پیدا نشد.', en: 'The requested resource was not found.' },
  },
  ROUTE_NOT_FOUND: {
    status: 404,
    message: { fa: 'این نشانی در سامانه وجود ندارد.', en: 'No such endpoint.' },
  },
  METHOD_NOT_ALLOWED: {
    status: 405,
    message: { fa: 'این روش درخواست پشتیبانی نمی‌شود.', en: 'Method not allowed.' },
  },
  CONFLICT: {
    status: 409,
    message: { fa: 'این اطلاعات قبلاً ثبت شده است.', en: 'This record already exists.' },
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    message: { fa: 'حجم درخواست بیش از حد مجاز است.', en: 'The request body is too large.' },
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    message: {
      fa: 'نوع محتوای درخواست پشتیبانی نمی‌شود.',
      en: 'The request content type is not supported.',
    },
  },
  RATE_LIMITED: {
    status: 429,
    message: {
      fa: 'تعداد درخواست‌ها بیش از حد مجاز است؛ کمی بعد دوباره تلاش کنید.',
      en: 'Too many requests; try again later.',
    },
  },
  INTERNAL_ERROR: {
    status: 500,
    message: {
      fa: 'خطای داخلی سامانه رخ داد؛ با کد رهگیری درخواست با پشتیبانی تماس بگیرید.',
      en: 'An internal error occurred; contact support with the request id.',
    },
  },
  DATABASE_UNAVAILABLE: {
    status: 503,
    message: {
      fa: 'پایگاه داده موقتاً در دسترس نیست؛ کمی بعد دوباره تلاش کنید.',
      en: 'The database is temporarily unavailable; try again shortly.',
    },
  },
  DATABASE_BUSY: {
    status: 503,
    message: {
      fa: 'سامانه در این لحظه بیش از حد مشغول است؛ چند ثانیه بعد دوباره تلاش کنید.',
      en: 'The service is too busy right now; try again in a few seconds.',
    },
  },
  STORAGE_UNAVAILABLE: {
    status: 503,
    message: {
      fa: 'فضای ذخیره‌سازی پرونده‌ها موقتاً در دسترس نیست؛ کمی بعد دوباره تلاش کنید.',
      en: 'File storage is temporarily unavailable; try again shortly.',
    },
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    message: {
      fa: 'سرویس موقتاً در دسترس نیست.',
      en: 'The service is temporarily unavailable.',
    },
  },
});
