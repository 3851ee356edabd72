import { defineErrors } from '@app/common';

export const NotificationsErrors = defineErrors({
  SMS_MOBILE_INVALID: {
    status: 400,
    message: {
      fa: 'شماره همراه معتبر نیست؛ به شکل ۰۹۱۲۱۲۳۴۵۶۷ وارد کنید.',
      en: 'Invalid mobile number; use the form 09121234567 (+98…, 0098… and Persian digits are accepted).',
    },
  },
});
