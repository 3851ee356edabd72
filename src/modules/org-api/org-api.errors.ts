import { defineErrors } from '@app/common';

/** Refusals of the organization API's own layer (Idempotency-Key, daily quota). */
export const OrgApiErrors = defineErrors({
  IDEMPOTENCY_KEY_INVALID: {
    status: 400,
    message: {
      fa: 'سرآیند Idempotency-Key باید ۱ تا ۲۰۰ نویسه از حروف، ارقام و - _ . : باشد.',
      en: 'The Idempotency-Key header must be 1 to 200 characters of letters, digits and - _ . :',
    },
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 409,
    message: {
      fa: 'این Idempotency-Key پیش‌تر با درخواست دیگری به کار رفته است.',
      en: 'This Idempotency-Key was already used with a different request.',
    },
  },
  IDEMPOTENCY_IN_PROGRESS: {
    status: 409,
    message: {
      fa: 'درخواستی با همین Idempotency-Key هنوز در حال انجام است؛ کمی بعد دوباره بفرستید.',
      en: 'A request with this Idempotency-Key is still in progress; retry shortly.',
    },
  },
  QUOTA_EXCEEDED: {
    status: 429,
    message: {
      fa: 'سهمیه روزانه درخواست‌های این کلاینت به پایان رسیده است.',
      en: 'This client’s daily request quota is used up.',
    },
  },
});
