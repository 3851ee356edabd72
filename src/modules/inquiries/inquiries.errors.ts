import { defineErrors } from '@app/common';

/**
 * Inquiry errors. `PROPERTY_NOT_FOUND` and `REGION_MISMATCH` come from the properties module
 * (same codes, same meaning).
 */
export const InquiriesErrors = defineErrors({
  UNDERTAKINGS_NOT_ACCEPTED: {
    status: 400,
    message: {
      fa: 'برای ادامه باید آخرین نسخه تعهدات را بخوانید و بپذیرید.',
      en: 'Read and accept the current version of the undertakings to continue.',
    },
  },
  LAST_REQUEST_NUMBER_MISMATCH: {
    status: 400,
    message: {
      fa: 'شماره آخرین درخواست با سوابق این ملک یکسان نیست.',
      en: 'The last request number does not match the property’s records.',
    },
  },
  TOO_MANY_ATTEMPTS: {
    status: 429,
    message: {
      fa: 'تعداد تلاش‌های نادرست برای این ملک امروز بیش از حد مجاز است؛ فردا دوباره تلاش کنید.',
      en: 'Too many wrong tries for this property today; try again tomorrow.',
    },
  },
  NOT_ELIGIBLE: {
    status: 422,
    message: {
      fa: 'این ملک سابقه پایانکار آپارتمانی، نقل و انتقال یا استعلام ندارد و استعلام الکترونیک برای آن ممکن نیست؛ به میز خدمت منطقه مراجعه کنید.',
      en: 'The property has no earlier apartment completion, transfer or inquiry certificate; visit the region’s service desk.',
    },
  },
  NOT_PROPERTY_OWNER: {
    status: 403,
    message: {
      fa: 'شما در سوابق این ملک به عنوان مالک ثبت نشده‌اید؛ اگر وکیل مالک هستید، گزینه وکالت و کد ملی مالک را وارد کنید.',
      en: 'You are not an owner of this property; if you hold a power of attorney, apply as attorney with the owner’s national ID.',
    },
  },
  INQUIRY_DETAILS_INVALID: {
    status: 400,
    message: {
      fa: 'اطلاعات اداره درخواست‌کننده (برای استعلام ادارات) یا شماره دفترخانه (برای استعلام دفترخانه) کامل نیست.',
      en: 'The requesting organization (office inquiries) or the notary office number (notary inquiries) is missing.',
    },
  },
  INQUIRY_STATUS_CONFLICT: {
    status: 409,
    message: {
      fa: 'این کار در وضعیت فعلی درخواست ممکن نیست.',
      en: 'This is not possible in the request’s current status.',
    },
  },
  INQUIRY_NOT_CONFIRMED: {
    status: 409,
    message: {
      fa: 'ابتدا سوابق ملک را تأیید کنید.',
      en: 'Confirm the property’s records first.',
    },
  },
  INQUIRY_INCOMPLETE: {
    status: 422,
    message: {
      fa: 'درخواست کامل نیست؛ مدارک لازم را بارگذاری کنید (و برای دفترخانه زمان بازدید را انتخاب کنید).',
      en: 'The request is incomplete: upload the required documents (and, for notary inquiries, book a visit).',
    },
  },
  DOCUMENT_KIND_INVALID: {
    status: 400,
    message: {
      fa: 'نوع مدرک معتبر نیست (سند، کارت ملی، نامه اداره، شناسنامه یا وکالت‌نامه).',
      en: 'Unknown document kind (deed, national_card, office_letter, birth_certificate, power_of_attorney).',
    },
  },
  DOCUMENT_NOT_APPLICABLE: {
    status: 400,
    message: {
      fa: 'این مدرک برای این نوع درخواست لازم نیست.',
      en: 'This document does not apply to this kind of request.',
    },
  },
  VISIT_NOT_APPLICABLE: {
    status: 400,
    message: { fa: 'زمان بازدید فقط برای استعلام دفترخانه انتخاب می‌شود.', en: 'Site visits apply only to notary inquiries.' },
  },
  VISIT_SLOT_INVALID: {
    status: 400,
    message: {
      fa: 'این زمان بازدید معتبر نیست یا گذشته است؛ از فهرست زمان‌های قابل انتخاب استفاده کنید.',
      en: 'This visit slot is not valid or has passed; choose one from the list of bookable slots.',
    },
  },
  VISIT_SLOT_FULL: {
    status: 409,
    message: { fa: 'ظرفیت این زمان بازدید تکمیل شده است؛ زمان دیگری انتخاب کنید.', en: 'This visit slot is full; choose another.' },
  },
  TRACKING_CODE_INVALID: {
    status: 400,
    message: {
      fa: 'کد پیگیری معتبر نیست؛ ۱۲ رقم آن را دوباره بررسی کنید.',
      en: 'Invalid tracking code; check its 12 digits.',
    },
  },
});
