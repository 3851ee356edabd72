import { escapeHtml, PageTone, persianPage } from '@app/common';
import { formatJalali, formatRialsFa, persianDigits } from '@app/iran';
import type { PaymentStatusDto } from './payments.dto';

/** The page's three answers (and the rarer outcomes under them), by the status the server verified. */
const STATUS: Record<string, { tone: PageTone; heading: string; line: string }> = {
  paid: { tone: 'ok', heading: 'پرداخت موفق', line: 'مبلغ دریافت و قبض تسویه شد.' },
  pending: {
    tone: 'warn',
    heading: 'در انتظار تأیید بانک',
    line: 'نتیجه این پرداخت هنوز از بانک دریافت نشده است. چند دقیقه بعد این صفحه را دوباره باز کنید؛ اگر مبلغی از حساب شما کم شده و پرداخت تأیید نشود، حداکثر تا ۷۲ ساعت به حسابتان بازمی‌گردد.',
  },
  failed: { tone: 'bad', heading: 'پرداخت ناموفق', line: 'پرداخت انجام نشد و قبض همچنان پرداخت‌نشده است. می‌توانید دوباره پرداخت کنید.' },
  cancelled: { tone: 'bad', heading: 'پرداخت لغو شد', line: 'پرداخت لغو شد و قبض همچنان پرداخت‌نشده است. می‌توانید دوباره پرداخت کنید.' },
  amount_mismatch: { tone: 'bad', heading: 'پرداخت ناموفق', line: 'مبلغ تأییدشده بانک با مبلغ قبض یکسان نبود؛ مبلغ به کارت شما بازگردانده می‌شود.' },
  reversing: { tone: 'warn', heading: 'در حال بازگشت وجه', line: 'قبض به روش دیگری پرداخت شده یا منقضی شده بود؛ مبلغ به کارت شما بازگردانده می‌شود.' },
  reversed: { tone: 'neutral', heading: 'وجه بازگردانده شد', line: 'مبلغ این پرداخت به کارت شما بازگردانده شد.' },
};

const NOT_FOUND = { tone: 'neutral' as PageTone, heading: 'پرداخت یافت نشد', line: 'پرداختی با این شناسه ثبت نشده است. نشانی صفحه را بررسی کنید.' };

/**
 * The Persian page a payer's browser lands on after the gateway (the default return URL):
 * what the server verified with the gateway, never what the callback claimed. Status,
 * amount, bill ID, receipt number (the bank's reference) and date; nothing personal.
 */
export function paymentResultPage(p: PaymentStatusDto | null, receiptHref: string | null): string {
  if (!p) return persianPage({ title: 'نتیجه پرداخت', ...NOT_FOUND, rows: [] });
  const s = STATUS[p.status] ?? STATUS.pending;
  const ltr = (x: unknown) => `<span class="ltr">${escapeHtml(x)}</span>`;
  const rows: Array<[string, string]> = [
    ['مبلغ', escapeHtml(`${formatRialsFa(p.amountRials)} ریال`)],
    ['شناسه قبض', ltr(p.billId)],
    ['شناسه پرداخت', ltr(p.billPaymentId)],
  ];
  if (p.bankReference) rows.push(['شماره رسید (مرجع بانک)', ltr(p.bankReference)]);
  rows.push(['تاریخ', escapeHtml(persianDigits(p.paidAtJalali ?? formatJalali(new Date(p.createdAt), { time: true })))]);
  rows.push(['شماره پیگیری پرداخت', ltr(p.paymentId)]);
  const notes = receiptHref && p.status === 'paid' ? [`<a href="${escapeHtml(receiptHref)}">رسید قابل چاپ</a>`] : [];
  return persianPage({ title: `نتیجه پرداخت — ${s.heading}`, tone: s.tone, heading: s.heading, line: s.line, rows, notes });
}


