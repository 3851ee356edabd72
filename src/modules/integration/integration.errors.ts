import { defineErrors } from '@app/common';

export const IntegrationErrors = defineErrors({
  WEBHOOK_URL_INVALID: {
    status: 400,
    message: {
      fa: 'نشانی وب‌هوک معتبر نیست؛ فقط https و بدون نام کاربری و گذرواژه پذیرفته می‌شود.',
      en: 'The webhook URL is not valid: https only, without credentials.',
    },
  },
  WEBHOOK_URL_FORBIDDEN: {
    status: 400,
    message: {
      fa: 'نشانی وب‌هوک به یک نشانی خصوصی، محلی یا رزروشده می‌رسد و پذیرفته نمی‌شود.',
      en: 'The webhook URL resolves to a private, loopback, link-local or reserved address.',
    },
  },
  WEBHOOK_URL_UNRESOLVABLE: {
    status: 400,
    message: { fa: 'نام میزبان نشانی وب‌هوک پیدا نشد.', en: 'The webhook URL’s host name does not resolve.' },
  },
  WEBHOOK_LIMIT_REACHED: {
    status: 409,
    message: { fa: 'تعداد نشانی‌های وب‌هوک این سازمان به حداکثر رسیده است.', en: 'This organization has reached the maximum number of webhook endpoints.' },
  },
  WEBHOOK_NOT_FOUND: {
    status: 404,
    message: { fa: 'وب‌هوک پیدا نشد.', en: 'Webhook endpoint not found.' },
  },
  WEBHOOK_DELIVERY_NOT_FOUND: {
    status: 404,
    message: { fa: 'ارسال وب‌هوک پیدا نشد.', en: 'Webhook delivery not found.' },
  },
});

export const OrgInquiryErrors = defineErrors({
  CONSENT_NOT_PENDING: {
    status: 409,
    message: {
      fa: 'این درخواست سازمان دیگر منتظر رضایت شما نیست (پذیرفته، رد یا منقضی شده است).',
      en: 'This organization request no longer awaits your consent (consented, declined or expired).',
    },
  },
  VERIFY_ITEM_INVALID: {
    status: 400,
    message: { fa: 'هر مورد باید یا jws یا شماره و کد تصدیق داشته باشد.', en: 'Each item needs either a jws or a number and code.' },
  },
  ORGANIZATION_INACTIVE: {
    status: 403,
    message: { fa: 'حساب این سازمان غیرفعال است.', en: 'This organization is disabled.' },
  },
});
