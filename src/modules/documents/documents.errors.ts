import { defineErrors } from '@app/common';

export const DocumentsErrors = defineErrors({
  DOCUMENT_EMPTY: {
    status: 400,
    message: { fa: 'پرونده ارسالی خالی است.', en: 'The uploaded file is empty.' },
  },
  DOCUMENT_REQUIRED: {
    status: 400,
    message: { fa: 'پرونده را در فیلد file بفرستید (multipart/form-data).', en: 'Send the file in the `file` field (multipart/form-data).' },
  },
  DOCUMENT_TYPE_NOT_ALLOWED: {
    status: 415,
    message: {
      fa: 'فقط تصویر PNG یا JPEG پذیرفته می‌شود (نوع پرونده از محتوای آن تشخیص داده می‌شود، نه از نام آن).',
      en: 'Only PNG or JPEG images are accepted (decided by the file’s content, not its name).',
    },
  },
  DOCUMENT_UNREADABLE: {
    status: 422,
    message: { fa: 'تصویر خراب است یا خوانده نمی‌شود.', en: 'The image is corrupt or cannot be read.' },
  },
  DOCUMENT_TOO_SMALL: {
    status: 422,
    message: {
      fa: 'تصویر برای خواندن بیش از حد کوچک است؛ مدرک را دوباره و کامل با وضوح بیشتر اسکن یا عکاسی کنید.',
      en: 'The image is too small to read; rescan or photograph the document whole at a higher resolution.',
    },
  },
  DOCUMENT_ILLEGIBLE: {
    status: 422,
    message: {
      fa: 'تصویر سفید یا بسیار کم‌رنگ است و خوانده نمی‌شود؛ مدرک را در نور کافی دوباره اسکن یا عکاسی کنید.',
      en: 'The image is blank or too faint to read; rescan or photograph the document in good light.',
    },
  },
  DOCUMENT_TOO_LARGE: {
    status: 413,
    message: {
      fa: 'حجم پرونده بیش از حد مجاز است؛ تصویر کوچک‌تری بفرستید.',
      en: 'The file is too large; send a smaller image.',
    },
  },
  DOCUMENT_INFECTED: {
    status: 422,
    message: { fa: 'پرونده آلوده است و پذیرفته نشد.', en: 'The file is infected and was refused.' },
  },
  DOCUMENT_SCAN_UNAVAILABLE: {
    status: 503,
    message: {
      fa: 'بررسی امنیتی پرونده‌ها موقتاً در دسترس نیست؛ کمی بعد دوباره تلاش کنید.',
      en: 'The virus scanner is temporarily unavailable; try again shortly.',
    },
  },
});
