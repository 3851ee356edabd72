import { escapeHtml, renderReceipt, renderSandboxPage } from './html';

describe('payment pages', () => {
  it('escapes markup and quotes', () => {
    expect(escapeHtml(`<script>"x" & 'y'</script>`)).toBe('&#60;script&#62;&#34;x&#34; &#38; &#39;y&#39;&#60;/script&#62;');
  });

  it('the sandbox page has no inline script and escapes what it shows', () => {
    const html = renderSandboxPage({
      token: 'a'.repeat(32),
      amountRials: 19_749_000n,
      description: '<img src=x onerror=alert(1)>',
      paymentId: 'p-1',
      expiresAt: new Date(Date.now() + 60_000),
      status: 'pending',
      actionBase: '/api/v1/sandbox/gateway/aaaa',
      scriptUrl: '/api/v1/sandbox/gateway-countdown.js',
    });
    expect(html).not.toContain('<img');
    expect(html).toContain('۱۹٬۷۴۹٬۰۰۰ ریال');
    expect(html).toContain('نوزده میلیون و هفتصد و چهل و نه هزار ریال');
    expect(html.match(/<script[^>]*>/g)).toEqual(['<script src="/api/v1/sandbox/gateway-countdown.js" defer>']);
    expect(html).toMatch(/<form method="post" action="\/api\/v1\/sandbox\/gateway\/aaaa\/pay">/);
  });

  it('the receipt shows the Jalali date in Tehran time and escapes every value', () => {
    const html = renderReceipt({
      paymentId: 'p-1',
      billId: '123410165',
      billPaymentId: '1974950908',
      amountRials: 1000,
      amountInWords: 'یک هزار ریال',
      dueRials: 1000,
      roundedPayableRials: 1000,
      roundingWaivedRials: 0,
      gateway: 'sandbox',
      bankReference: '<b>ref</b>',
      rrn: null,
      traceNo: null,
      cardMask: null,
      paidAt: '2026-03-20T20:30:00.000Z', // 1405/01/01 00:00 in Tehran (UTC+3:30)
      paidAtJalali: '1405/01/01 00:00',
      items: [{ jalaliYear: 1404, feeType: 'renewal', subjectCode: '1-2-3-4-0-0-0', amountRials: 1000 }],
    });
    expect(html).toContain('۱۴۰۵/۰۱/۰۱ ۰۰:۰۰');
    expect(html).toContain('&#60;b&#62;ref&#60;/b&#62;');
    expect(html).not.toContain('<b>');
    expect(html).toContain('عوارض نوسازی');
  });

  it('the receipt shows the amount due, the rounded payable and the waived difference', () => {
    const html = renderReceipt({
      paymentId: 'p-2',
      billId: '123410165',
      billPaymentId: '1974950908',
      amountRials: 36_844_000,
      amountInWords: 'x',
      dueRials: 36_844_640,
      roundedPayableRials: 36_844_000,
      roundingWaivedRials: 640,
      gateway: 'sandbox',
      bankReference: 'SBX1',
      rrn: null,
      traceNo: null,
      cardMask: null,
      paidAt: '2026-03-20T20:30:00.000Z',
      paidAtJalali: '1405/01/01 00:00',
      items: [
        { jalaliYear: 1404, feeType: 'renewal', subjectCode: '1-2-3-4-0-0-0', amountRials: 30_000_320 },
        { jalaliYear: 1404, feeType: 'waste', subjectCode: '1-2-3-4-0-0-0', amountRials: 6_844_320 },
      ],
    });
    const totals = html.slice(html.indexOf('<table class="totals">'));
    expect(totals).toMatch(/جمع بدهی<\/th><td>۳۶٬۸۴۴٬۶۴۰ ریال/);
    expect(totals).toMatch(/مبلغ قابل پرداخت.*<td>۳۶٬۸۴۴٬۰۰۰ ریال/);
    expect(totals).toMatch(/تفاوت گرد کردن.*بخشوده.*<td>۶۴۰ ریال/);
  });
});
