import { formatRialsFa } from '@app/iran';
import type { PaymentStatusDto } from './payments.dto';
import { paymentResultPage } from './result-page';

const paid: PaymentStatusDto = {
  paymentId: '1b4e28ba-2fa1-4d3b-9c5e-5f0d3a1c2b7e',
  billId: '123410165',
  billPaymentId: '1974950908',
  gateway: 'sandbox',
  amountRials: 36_844_000,
  status: 'paid',
  createdAt: '2026-11-25T17:40:00.000Z',
  paidAt: '2026-11-25T17:42:10.000Z',
  paidAtJalali: '1405/09/04 21:12',
  bankReference: 'SBX1234567890123',
} as PaymentStatusDto;

/** The text of the page's row named `label` (its <dd>, tags removed). */
function row(html: string, label: string): string {
  const m = new RegExp(`<dt>${label}</dt>\\s*<dd[^>]*>([\\s\\S]*?)</dd>`).exec(html);
  if (!m) throw new Error(`no row "${label}" in the page`);
  return m[1].replace(/<[^>]+>/g, '').trim();
}

describe('payment result page (Persian)', () => {
  it('shows the amount with Persian digits and the Persian thousands separator ٬ (libs/iran formatRialsFa), never ASCII digits or commas', () => {
    const html = paymentResultPage(paid, '/api/v1/payments/x/receipt?format=html');
    const amount = row(html, 'مبلغ');
    expect(amount).toBe('۳۶٬۸۴۴٬۰۰۰ ریال');
    expect(amount).toBe(`${formatRialsFa(36_844_000)} ریال`);
    expect(html).not.toMatch(/36,?844,?000/);
    expect(html).not.toContain('۳۶,۸۴۴');
  });

  it('amounts of every size and every status use the same form (no grouping below a thousand, U+066C between groups)', () => {
    for (const [amountRials, shown] of [
      [0, '۰'],
      [999, '۹۹۹'],
      [1_000, '۱٬۰۰۰'],
      [19_749_000, '۱۹٬۷۴۹٬۰۰۰'],
      [1_250_000_000_000, '۱٬۲۵۰٬۰۰۰٬۰۰۰٬۰۰۰'],
    ] as const) {
      for (const status of ['paid', 'pending', 'failed', 'cancelled', 'amount_mismatch', 'reversing', 'reversed']) {
        const html = paymentResultPage({ ...paid, amountRials, status }, null);
        expect(row(html, 'مبلغ')).toBe(`${shown} ریال`);
      }
    }
  });

  it('the date is in Persian digits; the identifiers stay ASCII (typed into a bank form) and left-to-right', () => {
    const html = paymentResultPage(paid, null);
    expect(row(html, 'تاریخ')).toBe('۱۴۰۵/۰۹/۰۴ ۲۱:۱۲');
    expect(row(html, 'شناسه قبض')).toBe('123410165');
    expect(html).toContain('<span class="ltr">1974950908</span>');
  });

  it('an unknown payment shows no amount at all', () => {
    const html = paymentResultPage(null, null);
    expect(html).toContain('پرداخت یافت نشد');
    expect(html).not.toContain('<dt>مبلغ</dt>');
  });
});
