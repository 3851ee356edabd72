import { defineErrors } from '@app/common';

export const CertificatesErrors = defineErrors({
  ANSWER_NOT_READY: {
    status: 409,
    message: { fa: 'پاسخ این استعلام هنوز صادر نشده است.', en: 'The answer to this inquiry has not been issued yet.' },
  },
  PDF_UNAVAILABLE: {
    status: 503,
    message: {
      fa: 'نسخه PDF پاسخ در این سرور ساخته نمی‌شود (مرورگر Chromium نصب نیست)؛ نسخه HTML قابل چاپ و JSON در دسترس است.',
      en: 'The PDF cannot be rendered on this server (no Chromium); the printable HTML and the JSON are available.',
    },
  },
  PDF_NOT_READY: {
    status: 503,
    message: { fa: 'نسخه PDF پاسخ در حال آماده‌سازی است؛ چند ثانیه دیگر دوباره تلاش کنید.', en: 'The PDF is being rendered; try again in a few seconds.' },
  },
  CERTIFICATE_ALREADY_REVOKED: {
    status: 409,
    message: { fa: 'این گواهی قبلاً باطل شده است.', en: 'This certificate is already revoked.' },
  },
  VERIFY_QUERY_INVALID: {
    status: 400,
    message: { fa: 'شماره گواهی و کد تصدیق را وارد کنید.', en: 'Give the certificate number and the verification code.' },
  },
});
