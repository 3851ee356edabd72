import { defineErrors } from '@app/common';

export const DeskErrors = defineErrors({
  DESK_CASE_CLAIMED: {
    status: 409,
    message: { fa: 'این درخواست در دست کارشناس دیگری است؛ مدیر منطقه می‌تواند آن را واگذار کند.', en: 'Another clerk holds this request; the region manager can reassign it.' },
  },
  DESK_CASE_NOT_CLAIMED: {
    status: 409,
    message: { fa: 'ابتدا درخواست را برای بررسی بردارید.', en: 'Claim the request first.' },
  },
  REVIEW_INVALID: {
    status: 400,
    message: {
      fa: 'برای هر مدرک بارگذاری‌شده یک نتیجه لازم است و مدرک ردشده باید دلیل داشته باشد.',
      en: 'Give one verdict per uploaded document, and a reason for each rejected one.',
    },
  },
  REVIEW_REQUIRED: {
    status: 409,
    message: { fa: 'ابتدا مدارک را بررسی و تأیید کنید.', en: 'Review and accept the documents first.' },
  },
  FINANCES_NOT_SETTLED: {
    status: 409,
    message: { fa: 'پرونده مالی ملک تسویه نشده است؛ پاسخ پس از پرداخت بدهی صادر می‌شود.', en: 'The property’s file is not settled; the answer is issued after payment.' },
  },
  VISIT_NOT_DONE: {
    status: 409,
    message: { fa: 'نتیجه بازدید محلی هنوز ثبت نشده است.', en: 'The site visit result has not been recorded.' },
  },
  VISIT_NOT_STARTED: {
    status: 409,
    message: {
      fa: 'نتیجه بازدید محلی را از زمان شروع نوبت بازدید به بعد می‌توان ثبت کرد.',
      en: 'The site visit result can be recorded only from the booked slot’s start.',
    },
  },
  ANSWER_NOT_PREPARED: {
    status: 409,
    message: { fa: 'پاسخ هنوز توسط کارشناس آماده نشده است.', en: 'No answer has been prepared yet.' },
  },
  FOUR_EYES_REQUIRED: {
    status: 403,
    message: { fa: 'تهیه‌کننده پاسخ نمی‌تواند آن را تأیید کند؛ تأیید با مدیر دیگری است.', en: 'Whoever prepared the answer cannot approve it; another manager must.' },
  },
  STAFF_NOT_ELIGIBLE: {
    status: 400,
    message: { fa: 'این کارمند فعال نیست یا به میز خدمت این منطقه دسترسی ندارد.', en: 'This staff member is inactive or not on this region’s desk.' },
  },
});
