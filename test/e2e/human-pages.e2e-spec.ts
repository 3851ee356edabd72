import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { StaffRole } from '../../src/modules/membership/entities/staff-user.entity';
import { answeredOfficeInquiry } from '../helpers/desk';
import { currentBill, gatewayEnv, seedPropertiesWithDebts, TEST_PUBLIC_URL } from '../helpers/payments';
import { signedStaffToken } from '../helpers/staff';
import { createTestApp, TestApp } from '../helpers/test-app';

/**
 * The pages people open on a phone, in a real headless Chromium (the one the PDFs use):
 * the certificate verification page a QR code leads to, and the payment result page the
 * sandbox gateway returns to. Chromium resolves PUBLIC_URL's host to this test's server,
 * so every URL is followed exactly as the service printed it. Screenshots go to
 * SCREENSHOT_DIR (default: the system's temp directory), never into the repository.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = process.env.SCREENSHOT_DIR || join(tmpdir(), 'qazvin-human-pages');
const PHONE = { width: 390, height: 844, deviceScaleFactor: 1, isMobile: true, hasTouch: true };

(existsSync(CHROMIUM) ? describe : describe.skip)('human pages in Chromium: certificate verification and payment result', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    t = await createTestApp(gatewayEnv());
    await t.app.listen(0, '127.0.0.1');
    const port = (t.app.getHttpServer().address() as AddressInfo).port;
    mkdirSync(SHOTS, { recursive: true });
    const puppeteer = await import('puppeteer-core');
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      // the PDF renderer's flags, and PUBLIC_URL's host mapped to this server
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--font-render-hinting=none', `--host-resolver-rules=MAP ${new URL(TEST_PUBLIC_URL).hostname} 127.0.0.1:${port}`],
    });
    page = await browser.newPage();
    await page.setViewport(PHONE);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** Opens a URL as a browser does (Accept: text/html…), checks the page fits a phone, saves a screenshot, returns its text. */
  async function visit(url: string, shot: string): Promise<{ status: number; text: string; lang: string | null; dir: string | null }> {
    const res = await page.goto(url, { waitUntil: 'load' });
    await page.evaluate('document.fonts.ready');
    const text = (await page.evaluate('document.body.innerText')) as string;
    const fits = (await page.evaluate('document.documentElement.scrollWidth <= document.documentElement.clientWidth')) as boolean;
    expect({ shot, fits }).toEqual({ shot, fits: true });
    await page.screenshot({ path: join(SHOTS, `${shot}.png`), fullPage: true });
    const lang = (await page.evaluate('document.documentElement.getAttribute("lang")')) as string | null;
    const dir = (await page.evaluate('document.documentElement.getAttribute("dir")')) as string | null;
    return { status: res!.status(), text, lang, dir };
  }

  it('the QR code’s URL opens a Persian page: valid, revoked, expired, not found', async () => {
    const [a, b] = [await answeredOfficeInquiry(t), await answeredOfficeInquiry(t)];
    const answerOf = async (x: typeof a) =>
      (await t.http().get(`/api/v1/inquiries/${x.inquiryId}/answer`).set('Authorization', `Bearer ${x.citizenToken}`).expect(200)).body as {
        number: string;
        verificationCode: string;
        verifyUrl: string;
        jws: string;
      };
    const [valid, revoked] = [await answerOf(a), await answerOf(b)];
    expect(valid.verifyUrl.startsWith(`${TEST_PUBLIC_URL}/api/v1/certificates/verify?`)).toBe(true);

    // what the QR holds is a URL (the JWS in its fragment); the browser opens it like a scanned code
    const qrUrl = `${valid.verifyUrl}#jws=${valid.jws}`;
    const ok = await visit(qrUrl, 'verify-valid');
    expect(ok).toMatchObject({ status: 200, lang: 'fa', dir: 'rtl' });
    expect(ok.text).toContain('گواهی معتبر است');
    expect(ok.text).toContain(valid.number);
    expect(ok.text).toContain('پاسخ استعلام ادارات و بانک‌ها');
    expect(ok.text).toContain('مدیر منطقه');
    expect(ok.text).not.toContain(a.renewalCode); // masked
    expect(ok.text).not.toContain('مریم'); // nothing personal
    // the same URL answers JSON to machines, and the QR's whole text verifies offline-style by POST
    const json = await t.http().get('/api/v1/certificates/verify').query({ number: valid.number, code: valid.verificationCode }).expect(200);
    expect(json.body).toMatchObject({ status: 'valid', certificate: { number: valid.number } });
    expect((await t.http().post('/api/v1/certificates/verify').send({ jws: qrUrl }).expect(200)).body.status).toBe('valid');

    const admin = (await signedStaffToken(t, { username: 'human.admin', roles: [StaffRole.Admin] })).token;
    await t.http().post(`/api/v1/admin/certificates/${revoked.number}/revoke`).set('Authorization', `Bearer ${admin}`).send({ reason: 'سند مخدوش <b>x</b>' }).expect(200);
    const gone = await visit(revoked.verifyUrl, 'verify-revoked');
    expect(gone.status).toBe(200);
    expect(gone.text).toContain('گواهی باطل شده است');
    expect(gone.text).toContain(revoked.number);
    expect(gone.text).toContain('سند مخدوش <b>x</b>'); // shown as text, escaped in the markup

    const unknown = await visit(`${TEST_PUBLIC_URL}/api/v1/certificates/verify?number=1405-1-999999&code=ZZZZZZZZ`, 'verify-unknown');
    expect(unknown.status).toBe(200);
    expect(unknown.text).toContain('گواهی یافت نشد');

    await t.sql(`update certificate set valid_until = now() - interval '1 day' where number = $1`, [valid.number]);
    const expired = await visit(valid.verifyUrl, 'verify-expired');
    expect(expired.text).toContain('گواهی منقضی شده است');
    expect(expired.text).toContain(valid.number);
  });

  it('after paying in the sandbox gateway the browser lands on the Persian result page', async () => {
    const code = '1-9-41-1-0-0-0';
    await seedPropertiesWithDebts(t, [code]);
    const bill = await currentBill(t, code);
    // no returnUrl: the payment returns to the service's result page
    const started = (await t.http().post('/api/v1/payments').send({ billId: bill.billId }).expect(201)).body;
    await page.goto(started.redirectUrl, { waitUntil: 'load' });
    await page.screenshot({ path: join(SHOTS, 'sandbox-gateway.png'), fullPage: true });
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('button.pay')]);
    expect(page.url()).toBe(`${TEST_PUBLIC_URL}/api/v1/payments/result?paymentId=${started.paymentId}`);
    const paid = await visit(page.url(), 'payment-paid');
    expect(paid).toMatchObject({ status: 200, lang: 'fa', dir: 'rtl' });
    expect(paid.text).toContain('پرداخت موفق');
    expect(paid.text).toContain(bill.billId);
    const status = (await t.http().get(`/api/v1/payments/${started.paymentId}`).expect(200)).body;
    expect(status.status).toBe('paid');
    expect(paid.text).toContain(status.bankReference);

    // a cancelled payment of another bill: the page says so (what the server verified)
    const code2 = '1-9-41-2-0-0-0';
    await seedPropertiesWithDebts(t, [code2]);
    const bill2 = await currentBill(t, code2);
    const started2 = (await t.http().post('/api/v1/payments').send({ billId: bill2.billId }).expect(201)).body;
    await page.goto(started2.redirectUrl, { waitUntil: 'load' });
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('button.cancel')]);
    const cancelled = await visit(page.url(), 'payment-cancelled');
    expect(cancelled.text).toContain('پرداخت لغو شد');

    // a forged return (status in the URL) changes nothing: the page reads the stored payment
    const pending = (await t.http().post('/api/v1/payments').send({ billId: bill2.billId }).expect(201)).body;
    const forged = await visit(`${TEST_PUBLIC_URL}/api/v1/payments/result?paymentId=${pending.paymentId}&status=OK`, 'payment-pending');
    expect(forged.text).toContain('در انتظار تأیید بانک');
    expect(forged.text).not.toContain('پرداخت موفق');

    const missing = await visit(`${TEST_PUBLIC_URL}/api/v1/payments/result?paymentId=00000000-0000-4000-8000-000000000000`, 'payment-unknown');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('پرداخت یافت نشد');
  });
});
