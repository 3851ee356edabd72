import { defineErrors } from '@app/common';

export const MembershipErrors = defineErrors({
  STAFF_LOGIN_FAILED: {
    status: 401,
    message: { fa: 'نام کاربری یا گذرواژه نادرست است.', en: 'Wrong username or password.' },
  },
  STAFF_LOGIN_THROTTLED: {
    status: 429,
    message: {
      fa: 'به دلیل ورودهای ناموفق پیاپی، پیش از تلاش دوباره کمی صبر کنید.',
      en: 'Too many failed sign-ins: wait a little before trying again.',
    },
  },
  TOKEN_REVOKED: {
    status: 401,
    message: {
      fa: 'این نشست دیگر معتبر نیست (خروج، غیرفعال‌شدن حساب یا تغییر دسترسی)؛ دوباره وارد شوید.',
      en: 'This access token was revoked (logout, a disabled account or changed access); sign in again.',
    },
  },
  STAFF_USERNAME_TAKEN: {
    status: 409,
    message: { fa: 'این نام کاربری قبلاً ثبت شده است.', en: 'This username is already taken.' },
  },
  STAFF_MOBILE_REQUIRED: {
    status: 409,
    message: {
      fa: 'برای این نقش ورود دومرحله‌ای لازم است؛ شماره همراه کاربر ثبت نشده است. با مدیر سامانه تماس بگیرید.',
      en: 'This role needs a second factor by SMS but the account has no mobile number; ask an administrator.',
    },
  },
  STAFF_REGIONS_INVALID: {
    status: 400,
    message: {
      fa: 'برای نقش‌های غیر مدیر سامانه دست‌کم یک منطقه (۱، ۲ یا ۳) لازم است.',
      en: 'Every role except admin must be bound to at least one region (1, 2 or 3).',
    },
  },
  STAFF_NOT_FOUND: {
    status: 404,
    message: { fa: 'کاربر پیدا نشد.', en: 'Staff member not found.' },
  },
  CHALLENGE_NOT_FOUND: {
    status: 400,
    message: {
      fa: 'این مرحله ورود معتبر نیست یا منقضی شده است؛ دوباره وارد شوید.',
      en: 'This login step is unknown or has expired; log in again.',
    },
  },
  MOBILE_INVALID: {
    status: 400,
    message: { fa: 'شماره همراه معتبر نیست؛ مانند ۰۹۱۲۱۲۳۴۵۶۷ وارد کنید.', en: 'Invalid mobile number; use e.g. 09121234567.' },
  },
  OTP_RESEND_TOO_SOON: {
    status: 429,
    message: {
      fa: 'کد قبلی همین الان ارسال شده است؛ کمی صبر کنید و دوباره درخواست دهید.',
      en: 'A code was just sent; wait a little before asking for another.',
    },
  },
  OTP_TOO_MANY_REQUESTS: {
    status: 429,
    message: {
      fa: 'تعداد درخواست کد بیش از حد مجاز است؛ بعداً دوباره تلاش کنید.',
      en: 'Too many code requests; try again later.',
    },
  },
  OTP_INVALID: {
    status: 400,
    message: { fa: 'کد واردشده نادرست است.', en: 'The code is wrong.' },
  },
  OTP_EXPIRED: {
    status: 400,
    message: {
      fa: 'کد منقضی شده یا وجود ندارد؛ کد جدید درخواست کنید.',
      en: 'The code has expired or was never sent; request a new one.',
    },
  },
  OTP_LOCKED: {
    status: 429,
    message: {
      fa: 'به دلیل ورود نادرست پیاپی، این کد باطل شد؛ کد جدید درخواست کنید.',
      en: 'Too many wrong attempts: this code is void; request a new one.',
    },
  },
  REGISTRATION_TOKEN_INVALID: {
    status: 401,
    message: {
      fa: 'مهلت ثبت‌نام تمام شده یا نامعتبر است؛ دوباره شماره همراه را تأیید کنید.',
      en: 'The registration token is invalid or expired; verify the mobile number again.',
    },
  },
  MOBILE_ALREADY_REGISTERED: {
    status: 409,
    message: { fa: 'با این شماره همراه قبلاً عضویت ثبت شده است.', en: 'This mobile number is already registered.' },
  },
  NATIONAL_ID_ALREADY_REGISTERED: {
    status: 409,
    message: {
      fa: 'با این کد ملی قبلاً عضویت تأییدشده‌ای ثبت شده است. اگر این کد ملی متعلق به شماست، با کارت ملی به میز خدمت یکی از مناطق شهرداری مراجعه کنید.',
      en: 'A verified membership already holds this national ID. If it is yours, bring your national ID card to a region service desk of the municipality.',
    },
  },
  IDENTITY_MOBILE_MISMATCH: {
    status: 422,
    message: {
      fa: 'طبق سامانه ثبت مالکیت خطوط تلفن همراه (شاهکار)، این شماره همراه به نام صاحب این کد ملی نیست. با شماره‌ای که به نام خودتان است اقدام کنید یا با کارت ملی به میز خدمت منطقه مراجعه کنید.',
      en: 'According to the national mobile-ownership registry (Shahkar) this mobile number is not registered to this national ID. Use a number registered to you, or bring your national ID card to a region service desk.',
    },
  },
  IDENTITY_RECORD_MISMATCH: {
    status: 422,
    message: {
      fa: 'اطلاعات واردشده با ثبت احوال یکسان نیست؛ فیلدهای نام‌برده را مطابق شناسنامه اصلاح کنید.',
      en: 'The details entered differ from the civil registry; correct the named fields as they are on your birth certificate.',
    },
  },
  IDENTITY_NOT_FOUND: {
    status: 422,
    message: {
      fa: 'در ثبت احوال فردی با این کد ملی و تاریخ تولد پیدا نشد؛ تاریخ تولد را مطابق شناسنامه وارد کنید.',
      en: 'The civil registry has no person with this national ID and birth date; enter the birth date as on your birth certificate.',
    },
  },
  IDENTITY_SERVICE_UNAVAILABLE: {
    status: 503,
    message: {
      fa: 'سامانه استعلام هویت در دسترس نیست؛ چیزی ثبت نشد. کمی بعد دوباره تلاش کنید یا با کارت ملی به میز خدمت منطقه مراجعه کنید.',
      en: 'The identity registries cannot be reached; nothing was recorded. Try again later (see Retry-After) or bring your national ID card to a region service desk.',
    },
  },
  IDENTITY_NOT_VERIFIED: {
    status: 403,
    message: {
      fa: 'هویت شما هنوز تأیید نشده است. برای استفاده از خدمات مربوط به املاک خود، از POST /api/v1/me/identity/verify استعلام را دوباره انجام دهید یا با کارت ملی به میز خدمت منطقه مراجعه کنید.',
      en: 'Your identity is not verified yet. To use services about your properties, retry the registry check with POST /api/v1/me/identity/verify or bring your national ID card to a region service desk.',
    },
  },
  MOBILE_CHANGE_NOT_HERE: {
    status: 400,
    message: {
      fa: 'شماره همراه با PATCH /api/v1/me تغییر نمی‌کند: از POST /api/v1/me/mobile کد تأیید به شماره جدید بفرستید و با POST /api/v1/me/mobile/confirm تأیید کنید.',
      en: 'The mobile number is not changed with PATCH /api/v1/me: send a code to the new number with POST /api/v1/me/mobile and confirm it with POST /api/v1/me/mobile/confirm.',
    },
  },
  MOBILE_UNCHANGED: {
    status: 400,
    message: { fa: 'این شماره همین حالا شماره همراه حساب شماست.', en: 'This is already the mobile number of your account.' },
  },
  IDENTITY_DESK_REGION_FORBIDDEN: {
    status: 403,
    message: {
      fa: 'تأیید حضوری هویت فقط در میز خدمت منطقه‌ای ممکن است که کارشناس آن هستید.',
      en: 'In-person identity verification is only possible at the service desk of one of your own regions.',
    },
  },
  IDENTITY_REGISTRY_PERSON_NOT_FOUND: {
    status: 404,
    message: { fa: 'این کد ملی در ثبت هویت آزمایشی نیست.', en: 'This national ID is not in the sandbox identity registry.' },
  },
  REFRESH_TOKEN_INVALID: {
    status: 401,
    message: { fa: 'نشست شما معتبر نیست؛ دوباره وارد شوید.', en: 'The refresh token is invalid or expired; log in again.' },
  },
  REFRESH_TOKEN_REUSED: {
    status: 401,
    message: {
      fa: 'این نشست قبلاً استفاده شده بود؛ برای امنیت همه نشست‌های مرتبط بسته شد. دوباره وارد شوید.',
      en: 'This refresh token was already used; all sessions of this login were revoked. Log in again.',
    },
  },
  CITIZEN_NOT_FOUND: {
    status: 404,
    message: { fa: 'شهروند پیدا نشد.', en: 'Citizen not found.' },
  },
  ORGANIZATION_NOT_FOUND: {
    status: 404,
    message: { fa: 'سازمان پیدا نشد.', en: 'Organization not found.' },
  },
  NOTARY_NUMBER_REQUIRED: {
    status: 400,
    message: { fa: 'برای دفترخانه شماره دفترخانه لازم است.', en: 'A notary office needs its office number.' },
  },
  CLIENT_NOT_FOUND: {
    status: 404,
    message: { fa: 'کلاینت پیدا نشد.', en: 'API client not found.' },
  },
  INVALID_CLIENT: {
    status: 401,
    message: { fa: 'شناسه یا رمز کلاینت نادرست است.', en: 'Unknown client or wrong client secret.' },
  },
  UNSUPPORTED_GRANT_TYPE: {
    status: 400,
    message: {
      fa: 'فقط grant_type=client_credentials پشتیبانی می‌شود.',
      en: 'Only grant_type=client_credentials is supported.',
    },
  },
  INVALID_SCOPE: {
    status: 400,
    message: {
      fa: 'دامنه (scope) درخواستی برای این کلاینت مجاز نیست.',
      en: 'The requested scope is not granted to this client.',
    },
  },
  REGION_NOT_FOUND: {
    status: 404,
    message: { fa: 'منطقه پیدا نشد.', en: 'Region not found.' },
  },
});
