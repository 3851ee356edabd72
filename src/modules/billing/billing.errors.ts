import { defineErrors } from '@app/common';

export const BillingErrors = defineErrors({
  TARIFF_INVALID: {
    status: 400,
    message: {
      fa: 'تعرفه معتبر نیست؛ خطاهای هر فیلد را ببینید (عدد منفی، بازه‌های دارای فاصله یا هم‌پوشانی، ...).',
      en: 'The tariff is not valid; see the field errors (negative numbers, bands with gaps or overlaps, ...).',
    },
  },
  TARIFF_NOT_FOUND: {
    status: 404,
    message: { fa: 'تعرفه‌ای برای این سال ثبت نشده است.', en: 'No tariff is defined for this Jalali year.' },
  },
  YEAR_INVALID: {
    status: 400,
    message: { fa: 'سال شمسی معتبر نیست (مانند ۱۴۰۵).', en: 'Invalid Jalali year (e.g. 1405).' },
  },
  GUILD_CODE_TAKEN: {
    status: 409,
    message: { fa: 'این کد صنفی قبلاً ثبت شده است.', en: 'This guild code is already registered.' },
  },
  GUILD_NOT_FOUND: {
    status: 404,
    message: { fa: 'پروانه کسبی با این کد صنفی پیدا نشد.', en: 'No guild licence with this guild code.' },
  },
  PROPERTY_NOT_FOUND: {
    status: 404,
    message: { fa: 'ملکی با این کد نوسازی پیدا نشد.', en: 'No property with this renewal code.' },
  },
  DEBT_QUERY_INVALID: {
    status: 400,
    message: {
      fa: 'یا کد نوسازی (و منطقه) یا کد صنفی را وارد کنید، نه هر دو.',
      en: 'Give either renewalCode (with region) or guildCode, not both.',
    },
  },
  DEMAND_NOT_FOUND: {
    status: 404,
    message: { fa: 'بدهی (مطالبه) پیدا نشد.', en: 'Demand not found.' },
  },
  DEMAND_NOT_AMENDABLE: {
    status: 409,
    message: {
      fa: 'این بدهی پرداخت یا بخشوده شده است و قابل اصلاح نیست.',
      en: 'This demand is paid or written off and cannot be amended.',
    },
  },
  AMENDMENT_INVALID: {
    status: 400,
    message: {
      fa: 'برای بخشودگی مبلغ جدید صفر است؛ برای اصلاح و رأی مرجع قضایی مبلغ جدید (ریال، عدد صحیح نامنفی) لازم است.',
      en: 'A write-off sets the amount to zero; a correction or court ruling needs newAmountRials (a non-negative integer of Rials).',
    },
  },
  BILL_NOT_FOUND: {
    status: 404,
    message: { fa: 'قبضی با این شناسه قبض پیدا نشد.', en: 'No bill with this bill ID.' },
  },
  BILL_ID_INVALID: {
    status: 400,
    message: { fa: 'شناسه قبض معتبر نیست (رقم کنترل نادرست است).', en: 'Invalid bill ID (check digit mismatch).' },
  },
  PAYMENT_ID_INVALID: {
    status: 400,
    message: {
      fa: 'شناسه پرداخت معتبر نیست یا با شناسه قبض هم‌خوان نیست (ارقام کنترل).',
      en: 'Invalid payment ID, or it does not match the bill ID (check digits).',
    },
  },
  PAYMENT_ID_MISMATCH: {
    status: 409,
    message: {
      fa: 'شناسه پرداخت با شناسه پرداخت صادرشده برای این قبض یکی نیست.',
      en: 'The payment ID is not the one issued for this bill.',
    },
  },
  BILL_ALREADY_PAID: {
    status: 409,
    message: { fa: 'این قبض قبلاً پرداخت شده است.', en: 'This bill has already been paid.' },
  },
  BILL_EXPIRED: {
    status: 409,
    message: {
      fa: 'مهلت پرداخت این قبض گذشته است؛ قبض جدید را از صفحه بدهی‌ها دریافت کنید.',
      en: 'This bill has expired; get a new bill from the debts page.',
    },
  },
  BILL_NOT_PAYABLE: {
    status: 409,
    message: {
      fa: 'این قبض باطل شده است (بدهی‌های آن با قبض دیگری پرداخت یا اصلاح شده‌اند).',
      en: 'This bill is void (its demands were paid by another bill or amended).',
    },
  },
  BILL_AMOUNT_MISMATCH: {
    status: 409,
    message: { fa: 'مبلغ پرداختی با مبلغ قبض برابر نیست.', en: 'The amount paid differs from the bill amount.' },
  },
  BILL_AMOUNT_TOO_LARGE: {
    status: 422,
    message: {
      fa: 'جمع بدهی از سقف مبلغ یک قبض بیشتر است؛ به میز خدمت منطقه مراجعه کنید.',
      en: 'The total exceeds the largest amount a bill can carry; contact the region service desk.',
    },
  },
  PAYMENT_REFERENCE_USED: {
    status: 409,
    message: {
      fa: 'این شماره مرجع بانکی قبلاً برای پرداخت دیگری ثبت شده است.',
      en: 'This bank reference was already used for another payment.',
    },
  },
  PAID_AT_INVALID: {
    status: 400,
    message: { fa: 'زمان پرداخت نمی‌تواند در آینده باشد.', en: 'paidAt cannot be in the future.' },
  },
  PAID_AT_BEFORE_BILL: {
    status: 400,
    message: {
      fa: 'زمان پرداخت پیش از صدور قبض است.',
      en: 'paidAt is before the bill was issued.',
    },
  },
});
