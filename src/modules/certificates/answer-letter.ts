import { readFileSync } from 'node:fs';
import { amountToPersianWords, formatRialsFa, persianDigits } from '@app/iran';
import { approverTitle, type AnswerContent } from './domain/answer-content';

let fontCache: string | null = null;

/** Vazirmatn (regular + bold) as data URLs, so rendering needs no network or installed font. */
function fontFaces(): string {
  if (fontCache !== null) return fontCache;
  const face = (file: string, weight: number) => {
    const bytes = readFileSync(require.resolve(`vazirmatn/fonts/webfonts/${file}`));
    return `@font-face{font-family:'Vazirmatn';font-weight:${weight};src:url(data:font/woff2;base64,${bytes.toString('base64')}) format('woff2');}`;
  };
  fontCache = face('Vazirmatn-Regular.woff2', 400) + face('Vazirmatn-Bold.woff2', 700);
  return fontCache;
}

const esc = (s: unknown) =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
/** Codes (renewal code, IDs, numbers) stay ASCII and left-to-right inside the Persian text. */
const code = (s: unknown) => `<span class="ltr">${esc(s)}</span>`;
const fa = (s: unknown) => esc(persianDigits(String(s ?? '')));
const rials = (n: number) => `${formatRialsFa(n)} ریال (${esc(amountToPersianWords(n))} ریال)`;

const ORG_KIND: Record<string, string> = { bank: 'بانک', government: 'اداره دولتی', other: 'سازمان' };
const USE: Record<string, string> = { residential: 'مسکونی', commercial: 'تجاری', office: 'اداری', mixed: 'مختلط', industrial: 'صنعتی' };

export interface LetterMeta {
  verificationCode: string;
  verifyUrl: string;
  /** SVG markup of the QR code: only a URL, `<verifyUrl>#jws=<JWS>` (certificateQrPayload). */
  qrSvg: string;
  revoked: boolean;
  contentHash: string;
}

/** The printable answer letter: Persian, right-to-left, A4, self-contained (fonts inline). */
export function answerLetterHtml(c: AnswerContent, meta: LetterMeta): string {
  const addressee =
    c.addressee.kind === 'office'
      ? `${esc(c.addressee.name.startsWith(ORG_KIND[c.addressee.organizationKind] ?? '') ? '' : `${ORG_KIND[c.addressee.organizationKind] ?? ''} `)}${esc(c.addressee.name)} — عطف به نامه شماره ${esc(c.addressee.letterNumber)} مورخ ${fa(c.addressee.letterDate)}`
      : `دفتر اسناد رسمی شماره ${fa(c.addressee.notaryOfficeNumber)} — استعلام نقل و انتقال`;
  const p = c.property;
  const owners = c.owners
    .map((o) => `<tr><td>${esc(o.fullName)}</td><td>${code(o.nationalIdMasked)}</td><td>${fa(o.sharePercent)}٪</td></tr>`)
    .join('');
  const bills = c.finances.paidBills.length
    ? c.finances.paidBills
        .map((b) => `<tr><td>${code(b.billId)}</td><td>${code(b.paymentId)}</td><td>${fa(b.paidAtJalali)}</td><td>${formatRialsFa(b.amountRials)}</td></tr>`)
        .join('')
    : `<tr><td colspan="4">بدهی معوقی در زمان بررسی وجود نداشت.</td></tr>`;
  const widening = c.streetWidening
    ? c.streetWidening.affected
      ? `ملک در مسیر تعریض قرار دارد: ${fa(c.streetWidening.affectedAreaM2)} مترمربع (${fa(c.streetWidening.sharePercent)}٪ از عرصه) — ${esc(c.streetWidening.plans.join('، '))}`
      : 'ملک در مسیر تعریض معابر مصوب قرار ندارد.'
    : 'اطلاعات تعریض در دسترس نیست.';
  return `<!doctype html>
<html lang="fa" dir="rtl"><head><meta charset="utf-8"><title>پاسخ استعلام ${esc(c.number)}</title>
<style>${fontFaces()}
@page{size:A4;margin:14mm 14mm 16mm 14mm}
*{box-sizing:border-box}
body{font-family:'Vazirmatn',sans-serif;font-size:10.5pt;color:#111;margin:0;line-height:1.7}
.ltr{direction:ltr;unicode-bidi:embed;font-family:'Vazirmatn',monospace}
header{display:flex;justify-content:space-between;align-items:center;border-bottom:2px solid #0b5d3b;padding-bottom:6px;margin-bottom:10px}
header .title{text-align:center;flex:1}
header h1{font-size:15pt;margin:0;color:#0b5d3b}
header h2{font-size:11pt;margin:0;font-weight:400}
.meta{font-size:9.5pt;text-align:left;min-width:48mm}
.meta div{white-space:nowrap}
section{margin:8px 0}
h3{font-size:11pt;margin:0 0 4px;color:#0b5d3b;border-right:4px solid #0b5d3b;padding-right:6px}
table{width:100%;border-collapse:collapse;font-size:9.5pt}
td,th{border:1px solid #999;padding:3px 6px;text-align:right}
th{background:#eef5f1}
.grid td:nth-child(odd){background:#f6f6f6;width:22%}
footer{display:flex;gap:12px;align-items:center;border-top:1px solid #999;margin-top:10px;padding-top:8px;font-size:9pt}
footer .qr svg{width:34mm;height:34mm}
.sign{display:flex;justify-content:space-between;margin-top:10px}
.revoked{position:fixed;top:40%;left:10%;font-size:60pt;color:rgba(200,0,0,.25);transform:rotate(-25deg)}
</style></head><body>
${meta.revoked ? '<div class="revoked">باطل شده</div>' : ''}
<header>
  <div class="meta">
    <div>شماره: ${code(c.number)}</div>
    <div>تاریخ: ${fa(c.issuedAtJalali)}</div>
    <div>کد پیگیری: ${code(c.trackingCode)}</div>
  </div>
  <div class="title">
    <h1>شهرداری قزوین</h1>
    <h2>${esc(c.issuer.regionName)} — میز خدمت</h2>
    <h2><b>${c.inquiryType === 'notary' ? 'پاسخ استعلام نقل و انتقال (دفترخانه)' : 'پاسخ استعلام ادارات و بانک‌ها'}</b></h2>
  </div>
  <div class="meta" style="text-align:right">جمهوری اسلامی ایران<br>وزارت کشور<br>شهرداری قزوین</div>
</header>
<section><b>به:</b> ${addressee}</section>
<section>با سلام؛ در پاسخ به استعلام ${esc(c.applicant.fullName)} (${c.applicant.role === 'attorney' ? 'وکیل مالک' : 'مالک'}، کد ملی ${code(c.applicant.nationalIdMasked)}) درباره ملک زیر، مراتب به شرح ذیل اعلام می‌گردد.</section>
<section><h3>مشخصات ملک</h3>
<table class="grid">
<tr><td>کد نوسازی</td><td>${code(p.renewalCode)}</td><td>منطقه</td><td>${fa(p.region)}</td></tr>
<tr><td>نشانی</td><td colspan="3">${esc(p.address ?? '—')}</td></tr>
<tr><td>مساحت عرصه</td><td>${p.landAreaM2 === null ? '—' : `${fa(p.landAreaM2)} مترمربع`}</td><td>زیربنا</td><td>${p.buildingAreaM2 === null ? '—' : `${fa(p.buildingAreaM2)} مترمربع`}</td></tr>
<tr><td>کاربری</td><td>${esc(USE[p.use ?? ''] ?? p.use ?? '—')}</td><td>طبقات / واحدها</td><td>${fa(p.floors ?? '—')} / ${fa(p.units ?? '—')}</td></tr>
</table></section>
<section><h3>مالکان</h3><table><tr><th>نام</th><th>کد ملی</th><th>سهم</th></tr>${owners}</table></section>
<section><h3>مفاصاحساب (وضعیت مالی پرونده)</h3>
<div>پرونده این ملک از بابت عوارض نوسازی، پسماند و عوارض صنفی واحدهای آن تسویه شده است. جمع پرداخت‌ها: ${rials(c.finances.paidTotalRials)}</div>
<table><tr><th>شناسه قبض</th><th>شناسه پرداخت</th><th>تاریخ پرداخت</th><th>مبلغ (ریال)</th></tr>${bills}</table></section>
<section><h3>ضوابط طرح تفصیلی و تعریض</h3>
<div>${c.zoning ? `پهنه ${code(c.zoning.zoneCode)} — ${esc(c.zoning.zoneName)} (${esc(c.zoning.planName)})` : 'اطلاعات پهنه در دسترس نیست.'}</div>
<div>${widening}</div></section>
${c.visit ? `<section><h3>نتیجه بازدید محلی</h3><div>تاریخ بازدید: ${fa(c.visit.atJalali)} — ${c.visit.matchesRecords ? 'وضع موجود با سوابق مطابقت دارد.' : 'وضع موجود با سوابق مطابقت ندارد.'}</div><div>${esc(c.visit.findings)}</div></section>` : ''}
${c.note ? `<section><h3>توضیحات</h3><div>${esc(c.note)}</div></section>` : ''}
<section>این پاسخ تا تاریخ ${fa(c.validUntilJalali)} معتبر است.</section>
<div class="sign"><div>تهیه‌کننده: ${esc(c.issuer.preparedBy)}</div><div>تأییدکننده: ${esc(c.issuer.approvedBy)}<br>${esc(approverTitle(c.issuer))}</div></div>
<footer>
  <div class="qr">${meta.qrSvg}</div>
  <div>
    <div><b>تصدیق گواهی:</b> شماره ${code(c.number)} و کد تصدیق ${code(meta.verificationCode)}</div>
    <div class="ltr" style="font-size:8pt;word-break:break-all">${esc(meta.verifyUrl)}</div>
    <div style="font-size:7.5pt">این سند با امضای دیجیتال Ed25519 شهرداری قزوین امضا شده است؛ کلیدهای عمومی: <span class="ltr">/api/v1/certificates/keys</span></div>
    <div class="ltr" style="font-size:7pt">SHA-256: ${esc(meta.contentHash)}</div>
  </div>
</footer>
</body></html>`;
}
