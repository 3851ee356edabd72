import { defineErrors } from '@app/common';

/** Errors of the internet payment gateway adapters (sandbox, SEP, Zarinpal). */
export const GatewayErrors = defineErrors({
  PAYMENT_GATEWAY_UNAVAILABLE: {
    status: 503,
    message: {
      fa: 'درگاه پرداخت موقتاً در دسترس نیست؛ چند دقیقه دیگر دوباره تلاش کنید یا درگاه دیگری را برگزینید.',
      en: 'The payment gateway is temporarily unavailable; try again in a few minutes or choose another gateway.',
    },
  },
  PAYMENT_GATEWAY_REJECTED: {
    status: 502,
    message: {
      fa: 'درگاه پرداخت درخواست پرداخت را نپذیرفت؛ با پشتیبانی سامانه تماس بگیرید یا درگاه دیگری را برگزینید.',
      en: 'The payment gateway refused to open the payment; contact support or choose another gateway.',
    },
  },
  PAYMENT_GATEWAY_NOT_ENABLED: {
    status: 400,
    message: {
      fa: 'این درگاه پرداخت فعال نیست.',
      en: 'This payment gateway is not enabled.',
    },
  },
});
