import { defineErrors } from '@app/common';

/** Errors of the internet payments flow (the gateways' own are in gateways/gateway.errors.ts). */
export const PaymentErrors = defineErrors({
  PAYMENT_NOT_FOUND: {
    status: 404,
    message: { fa: 'پرداختی با این شناسه پیدا نشد.', en: 'No payment with this id.' },
  },
  RETURN_URL_NOT_ALLOWED: {
    status: 400,
    message: {
      fa: 'نشانی بازگشت مجاز نیست؛ باید نشانی کامل (https) یکی از دامنه‌های مجاز سامانه باشد.',
      en: 'The return URL is not allowed: it must be an absolute URL on one of the allowed origins.',
    },
  },
  PAYMENT_NOT_PAID: {
    status: 409,
    message: {
      fa: 'این پرداخت انجام نشده است؛ رسید فقط برای پرداخت موفق صادر می‌شود.',
      en: 'This payment was not completed; a receipt exists only for a successful payment.',
    },
  },
  PAYMENT_CALLBACK_INVALID: {
    status: 404,
    message: {
      fa: 'بازگشت از درگاه با هیچ پرداختی تطبیق نداشت.',
      en: 'The gateway callback does not match any payment.',
    },
  },
  SANDBOX_TRANSACTION_NOT_FOUND: {
    status: 404,
    message: { fa: 'تراکنش درگاه آزمایشی پیدا نشد.', en: 'No such sandbox gateway transaction.' },
  },
});
