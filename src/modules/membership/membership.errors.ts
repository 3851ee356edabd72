import { defineErrors } from '@app/common';

export const MembershipErrors = defineErrors({
  STAFF_LOGIN_FAILED: {
    status: 401,
    message: { fa: 'نام کاربری یا گذرواژه نادرست است.', en: 'Wrong username or password.' },
  },
  STAFF_ACCOUNT_LOCKED: {
    status: 403,
    message: {
      fa: 'حساب به دلیل تلاش‌های ناموفق پیاپی موقتاً قفل شده است.',
      en: 'The account is temporarily locked after repeated failed attempts.',
    },
  },
  STAFF_USERNAME_TAKEN: {
    status: 409,
    message: { fa: 'این نام کاربری قبلاً ثبت شده است.', en: 'This username is already taken.' },
  },
});
