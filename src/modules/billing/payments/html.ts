import { amountToPersianWords, formatJalali, formatRialsFa, persianDigits } from '@app/iran';

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export const MERCHANT_NAME = 'شهرداری قزوین';

const FEE_NAMES: Record<string, string> = { renewal: 'عوارض نوسازی', waste: 'عوارض پسماند', guild: 'عوارض صنفی' };
export const GATEWAY_NAMES_FA: Record<string, string> = { sandbox: 'درگاه آزمایشی', sep: 'سامان (سپ)', zarinpal: 'زرین‌پال' };

const STYLE = `
  body { font-family: Vazirmatn, Tahoma, "Segoe UI", sans-serif; background: #f3f5f8; color: #1d2733; margin: 0; }
  main { max-width: 34rem; margin: 2rem auto; background: #fff; border-radius: .75rem; box-shadow: 0 2px 12px rgba(0,0,0,.08); padding: 1.5rem 2rem; }
  h1 { font-size: 1.25rem; margin: 0 0 .25rem; } .muted { color: #5b6775; font-size: .9rem; }
  table { width: 100%; border-collapse: collapse; margin: 1rem 0; } th, td { text-align: right; padding: .45rem .3rem; border-bottom: 1px solid #e6e9ee; vertical-align: top; }
  th { color: #5b6775; font-weight: normal; width: 40%; } .amount { font-size: 1.35rem; font-weight: bold; }
  .actions { display: flex; gap: .75rem; margin-top: 1.25rem; } .actions form { flex: 1; }
  button { width: 100%; font: inherit; padding: .7rem; border-radius: .5rem; border: 0; cursor: pointer; }
  .pay { background: #0a7d3e; color: #fff; } .cancel { background: #e6e9ee; color: #1d2733; }
  .banner { background: #fff7d6; border: 1px solid #f0d36b; padding: .5rem .75rem; border-radius: .5rem; font-size: .9rem; }
  .items th, .items td { font-size: .9rem; } .ltr { direction: ltr; unicode-bidi: embed; }
  @media print { body { background: #fff; } main { box-shadow: none; margin: 0; } .noprint { display: none; } }`;

function page(title: string, body: string, extraHead = ''): string {
  return `<!doctype html>
<html lang="fa" dir="rtl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
${extraHead}
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

const rials = (n: bigint | number) => `${formatRialsFa(n)} ریال`;
const words = (n: bigint | number) => `${amountToPersianWords(n)} ریال`;

export interface SandboxPageInput {
  token: string;
  amountRials: bigint;
  description: string;
  paymentId: string;
  expiresAt: Date;
  status: 'pending' | 'paid' | 'cancelled' | 'reversed' | 'expired';
  actionBase: string;
  scriptUrl: string;
}

/** The simulated Shaparak-style payment page of the sandbox gateway (no inline script: CSP). */
export function renderSandboxPage(p: SandboxPageInput): string {
  const open = p.status === 'pending';
  const rows = `
<table>
  <tr><th>پذیرنده</th><td>${escapeHtml(MERCHANT_NAME)}</td></tr>
  <tr><th>مبلغ</th><td><span class="amount">${escapeHtml(rials(p.amountRials))}</span><br><span class="muted">${escapeHtml(words(p.amountRials))}</span></td></tr>
  <tr><th>شرح</th><td>${escapeHtml(p.description)}</td></tr>
  <tr><th>شماره سفارش</th><td class="ltr">${escapeHtml(p.paymentId)}</td></tr>
  ${open ? `<tr><th>زمان باقی‌مانده</th><td><span id="countdown" data-expires-at="${escapeHtml(p.expiresAt.toISOString())}">${escapeHtml(persianDigits(remaining(p.expiresAt)))}</span></td></tr>` : ''}
</table>`;
  const closed: Record<string, string> = {
    paid: 'این تراکنش پرداخت شده است.',
    cancelled: 'این تراکنش لغو شده است.',
    reversed: 'مبلغ این تراکنش به کارت پرداخت‌کننده بازگشت داده شده است.',
    expired: 'مهلت پرداخت این تراکنش به پایان رسیده است.',
  };
  const actions = open
    ? `<div class="actions">
  <form method="post" action="${escapeHtml(`${p.actionBase}/pay`)}"><button type="submit" class="pay">پرداخت</button></form>
  <form method="post" action="${escapeHtml(`${p.actionBase}/cancel`)}"><button type="submit" class="cancel">انصراف</button></form>
</div>`
    : `<p class="banner">${escapeHtml(closed[p.status] ?? '')}</p>`;
  return page(
    'درگاه پرداخت آزمایشی',
    `<h1>درگاه پرداخت اینترنتی (آزمایشی)</h1>
<p class="muted">شبیه‌ساز درگاه شاپرک برای آزمون؛ هیچ پولی جابه‌جا نمی‌شود و شماره کارت لازم نیست.</p>
${rows}
${actions}`,
    open ? `<script src="${escapeHtml(p.scriptUrl)}" defer></script>` : '',
  );
}

function remaining(expiresAt: Date): string {
  const s = Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** The countdown of the sandbox page, served as a same-origin script (CSP forbids inline ones). */
export const SANDBOX_COUNTDOWN_JS = `(function () {
  var el = document.getElementById('countdown');
  if (!el) return;
  var end = Date.parse(el.getAttribute('data-expires-at'));
  var fa = function (s) { return s.replace(/[0-9]/g, function (d) { return String.fromCharCode(0x06f0 + Number(d)); }); };
  var tick = function () {
    var s = Math.max(0, Math.floor((end - Date.now()) / 1000));
    el.textContent = fa(String(Math.floor(s / 60)).padStart(2, '0') + ':' + String(s % 60).padStart(2, '0'));
    if (s === 0) {
      var buttons = document.querySelectorAll('button.pay');
      for (var i = 0; i < buttons.length; i++) buttons[i].disabled = true;
      return;
    }
    setTimeout(tick, 1000);
  };
  tick();
})();
`;

export interface ReceiptView {
  paymentId: string;
  billId: string;
  billPaymentId: string;
  amountRials: number;
  amountInWords: string;
  dueRials: number;
  roundedPayableRials: number;
  roundingWaivedRials: number;
  gateway: string;
  bankReference: string;
  rrn: string | null;
  traceNo: string | null;
  cardMask: string | null;
  paidAt: string;
  paidAtJalali: string;
  items: Array<{ jalaliYear: number; feeType: string; subjectCode: string; amountRials: number }>;
}

/** Printable Persian receipt; every value escaped. */
export function renderReceipt(r: ReceiptView): string {
  const items = r.items
    .map(
      (i) =>
        `<tr><td>${escapeHtml(FEE_NAMES[i.feeType] ?? i.feeType)}</td><td>${escapeHtml(persianDigits(i.jalaliYear))}</td><td class="ltr">${escapeHtml(i.subjectCode)}</td><td>${escapeHtml(rials(i.amountRials))}</td></tr>`,
    )
    .join('\n');
  const optional = (label: string, v: string | null) => (v ? `<tr><th>${escapeHtml(label)}</th><td class="ltr">${escapeHtml(v)}</td></tr>` : '');
  const paidAt = new Date(r.paidAt);
  return page(
    'رسید پرداخت',
    `<h1>رسید پرداخت الکترونیکی</h1>
<p class="muted">${escapeHtml(MERCHANT_NAME)}</p>
<table>
  <tr><th>مبلغ</th><td><span class="amount">${escapeHtml(rials(r.amountRials))}</span><br><span class="muted">${escapeHtml(r.amountInWords)}</span></td></tr>
  <tr><th>شناسه قبض</th><td class="ltr">${escapeHtml(r.billId)}</td></tr>
  <tr><th>شناسه پرداخت</th><td class="ltr">${escapeHtml(r.billPaymentId)}</td></tr>
  <tr><th>شماره پیگیری پرداخت</th><td class="ltr">${escapeHtml(r.paymentId)}</td></tr>
  <tr><th>درگاه</th><td>${escapeHtml(GATEWAY_NAMES_FA[r.gateway] ?? r.gateway)}</td></tr>
  <tr><th>شماره مرجع بانک</th><td class="ltr">${escapeHtml(r.bankReference)}</td></tr>
  ${optional('شماره مرجع شاپرک', r.rrn)}
  ${optional('شماره پیگیری', r.traceNo)}
  ${optional('کارت', r.cardMask)}
  <tr><th>تاریخ و ساعت پرداخت</th><td>${escapeHtml(persianDigits(formatJalali(paidAt, { time: true })))} <span class="muted">(به وقت تهران)</span></td></tr>
</table>
<table class="items">
  <tr><th>نوع</th><th>سال</th><th>کد</th><th>مبلغ</th></tr>
  ${items}
</table>
<table class="totals">
  <tr><th>جمع بدهی</th><td>${escapeHtml(rials(r.dueRials))}</td></tr>
  <tr><th>مبلغ قابل پرداخت <span class="muted">(گرد شده به پایین تا هزار ریال)</span></th><td>${escapeHtml(rials(r.roundedPayableRials))}</td></tr>
  <tr><th>تفاوت گرد کردن <span class="muted">(بخشوده شد)</span></th><td>${escapeHtml(rials(r.roundingWaivedRials))}</td></tr>
</table>
<p class="muted noprint">برای چاپ از فرمان چاپ مرورگر استفاده کنید.</p>`,
  );
}

export { words as rialsInWords };
