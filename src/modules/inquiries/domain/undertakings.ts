import { InquiryType } from './inquiry-status';

export interface Undertakings {
  type: InquiryType;
  /** Bumped whenever the text changes; a draft records the version the member accepted. */
  version: string;
  title: string;
  items: string[];
}

const COMMON = [
  'اطلاعات و مدارکی که بارگذاری می‌کنم درست، کامل و متعلق به همین ملک است و مسئولیت هر گونه نادرستی با اینجانب است.',
  'اینجانب مالک این ملک یا وکیل قانونی مالک آن هستم و در صورت وکالت، تصویر وکالت‌نامه معتبر را بارگذاری می‌کنم.',
  'پذیرفته‌ام که پاسخ استعلام پس از بررسی مدارک و تسویه بدهی‌های پرونده (عوارض نوسازی، پسماند و صنفی) صادر می‌شود.',
  'پذیرفته‌ام که بررسی درخواست حداکثر یک روز کاری طول می‌کشد و پیگیری آن با کد پیگیری انجام می‌شود.',
];

/** The undertakings (تعهدات) a member accepts before an inquiry, per type, versioned. */
export const UNDERTAKINGS: Readonly<Record<InquiryType, Undertakings>> = {
  [InquiryType.Office]: {
    type: InquiryType.Office,
    version: 'office-1404-01',
    title: 'تعهدات درخواست پاسخ استعلام ادارات (بانک‌ها و ...)',
    items: [
      ...COMMON,
      'پاسخ استعلام فقط برای اداره یا بانکی که نامه آن را بارگذاری می‌کنم صادر می‌شود و برای کاربرد دیگری معتبر نیست.',
    ],
  },
  [InquiryType.Notary]: {
    type: InquiryType.Notary,
    version: 'notary-1404-01',
    title: 'تعهدات درخواست پاسخ استعلام نقل و انتقال (دفترخانه)',
    items: [
      ...COMMON,
      'در زمان بازدیدی که انتخاب می‌کنم در محل ملک حاضر می‌شوم و امکان بازدید کارشناس شهرداری را فراهم می‌کنم.',
      'پاسخ استعلام فقط برای دفترخانه اسناد رسمی که شماره آن را وارد می‌کنم صادر می‌شود.',
    ],
  },
};
