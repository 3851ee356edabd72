import { escapeHtml, PageTone, persianPage } from '@app/common';
import { persianDigits } from '@app/iran';
import type { VerificationDto } from './dto/certificate.dto';

/**
 * What the QR code on an answer letter holds: only a URL, which a phone camera opens. The
 * JWS rides in the fragment (`#jws=`): a browser never sends a fragment to the server, but an
 * offline checker reading the QR text has the signature (POST /certificates/verify takes
 * this whole text too). A compact JWS is base64url and dots, all valid in a fragment.
 */
export function certificateQrPayload(verifyUrl: string, jws: string): string {
  return `${verifyUrl}#jws=${jws}`;
}

/** The JWS inside a QR text (`<url>#jws=<jws>`, the older `<url>\n<jws>`) or a bare JWS. */
export function jwsFromQrText(text: string): string {
  const t = text.trim();
  const hash = t.indexOf('#jws=');
  if (hash >= 0) return t.slice(hash + 5).split(/[&\s]/)[0] ?? '';
  return t.split(/\s+/).pop() ?? '';
}

/**
 * "1-7-12-34-0-0-0" → "1-7-12-**-*-*-*": region, district and block are shown, the parcel
 * and unit parts masked (the holder of the letter compares with the full code printed on it).
 */
export function maskRenewalCode(code: string): string {
  const parts = code.split('-');
  return parts.map((p, i) => (i < 3 ? p : '*'.repeat(Math.max(1, p.length)))).join('-');
}

const STATUS: Record<VerificationDto['status'], { tone: PageTone; heading: string; line: string }> = {
  valid: { tone: 'ok', heading: 'معتبر است', line: 'این پاسخ استعلام را شهرداری قزوین صادر کرده و اعتبار آن باقی است.' },
  revoked: { tone: 'bad', heading: 'باطل شده است', line: 'این پاسخ استعلام صادر شده بود اما باطل شده است و نباید به آن استناد کرد.' },
  expired: { tone: 'warn', heading: 'منقضی شده است', line: 'مهلت اعتبار این پاسخ استعلام به پایان رسیده است.' },
  unknown: { tone: 'neutral', heading: 'یافت نشد', line: 'گواهی با این شماره و کد تصدیق در سامانه ثبت نشده است. شماره و کد چاپ‌شده روی نامه را بررسی کنید.' },
  invalid: { tone: 'bad', heading: 'نامعتبر است', line: 'امضای دیجیتال این گواهی درست نیست.' },
};

const KIND: Record<string, string> = { office: 'پاسخ استعلام ادارات و بانک‌ها', notary: 'پاسخ استعلام نقل و انتقال (دفترخانه)' };

export interface VerifyPageFacts {
  issuerTitle: string;
}

/** The Persian page a person lands on from the QR code: the status and the letter's essentials; every value escaped. */
export function verificationPage(v: VerificationDto, extra: VerifyPageFacts | null): string {
  const s = STATUS[v.status];
  const c = v.certificate;
  const fa = (x: unknown) => escapeHtml(persianDigits(String(x ?? '')));
  const ltr = (x: unknown) => `<span class="ltr">${escapeHtml(x)}</span>`;
  const rows: Array<[string, string]> = c
    ? [
        ['شماره نامه', ltr(c.number)],
        ['نوع', escapeHtml(KIND[c.inquiryType] ?? c.inquiryType)],
        ['تاریخ صدور', fa(c.issuedAtJalali)],
        ['معتبر تا', fa(c.validUntilJalali)],
        ['منطقه', fa(`منطقه ${c.region}`)],
        ['کد نوسازی ملک', ltr(maskRenewalCode(c.renewalCode))],
        ['گیرنده', escapeHtml(c.addressee)],
        ...(extra ? ([['صادرکننده', escapeHtml(extra.issuerTitle)]] as Array<[string, string]>) : []),
        ...(c.revokedAt ? ([['علت ابطال', escapeHtml(c.revocationReason ?? '—')]] as Array<[string, string]>) : []),
      ]
    : [];
  const notes = c
    ? [
        'مشخصات بالا را با نامه چاپی مقایسه کنید؛ کد نوسازی برای حفظ حریم مالک به‌طور کامل نمایش داده نمی‌شود.',
        `اثر انگشت محتوا (SHA-256): <span class="ltr">${escapeHtml(c.contentHash)}</span>`,
      ]
    : [];
  return persianPage({ title: `تصدیق گواهی — ${s.heading}`, tone: s.tone, heading: `گواهی ${s.heading}`, line: s.line, rows, notes });
}
