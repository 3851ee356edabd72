import { existsSync } from 'node:fs';
import { answeredOfficeInquiry } from '../helpers/desk';
import { gatewayEnv } from '../helpers/payments';
import { createTestApp, TestApp } from '../helpers/test-app';

/** Without Chromium the answer still works as JSON and HTML; the PDF says why (503). Verification is rate-limited. */
describe('certificates: no Chromium, rate limits', () => {
  let t: TestApp;
  let answered: Awaited<ReturnType<typeof answeredOfficeInquiry>>;

  beforeAll(async () => {
    t = await createTestApp(gatewayEnv({ CHROMIUM_PATH: '/nonexistent/chromium', CERT_VERIFY_RATE_LIMIT_PER_MINUTE: '4' }));
    answered = await answeredOfficeInquiry(t);
  });
  afterAll(() => t?.close());

  it('serves JSON and HTML and a coded 503 for the PDF when no Chromium exists', async () => {
    const auth = { Authorization: `Bearer ${answered.citizenToken}` };
    const pending = await t.http().get(`/api/v1/inquiries/${answered.inquiryId}/answer`).query({ format: 'pdf' }).set(auth).expect(503);
    expect(pending.body).toMatchObject({ code: 'PDF_UNAVAILABLE', reason: expect.stringContaining('/nonexistent/chromium') });
    // the render job records why and does not retry
    await t.jobs.drain();
    const [job] = await t.sql<{ status: string }>(`select status from job where queue = 'certificates.render_pdf'`);
    expect(job.status).toBe('completed');
    const [cert] = await t.sql<{ pdf_key: string | null; pdf_error: string }>(`select pdf_key, pdf_error from certificate`);
    expect(cert).toMatchObject({ pdf_key: null, pdf_error: expect.stringContaining('CHROMIUM_PATH') });
    expect((await t.http().get(`/api/v1/inquiries/${answered.inquiryId}/answer`).query({ format: 'pdf' }).set(auth).expect(503)).body.code).toBe('PDF_UNAVAILABLE');

    const json = (await t.http().get(`/api/v1/inquiries/${answered.inquiryId}/answer`).set(auth).expect(200)).body;
    expect(json).toMatchObject({ status: 'valid', pdfReady: false, content: { property: { renewalCode: answered.renewalCode }, finances: { settled: true, paidBills: [expect.objectContaining({ amountRials: 1_500_000 })] } } });
    const html = await t.http().get(`/api/v1/inquiries/${answered.inquiryId}/answer`).query({ format: 'html' }).set(auth).expect(200);
    expect(html.text).toContain('مریم احمدی');
    await t.http().get(`/api/v1/inquiries/${answered.inquiryId}/answer`).query({ format: 'docx' }).set(auth).expect(400);

    // Chromium installed later (here: the setting pointed at it): the PDF is rendered on the next request
    if (existsSync('/usr/bin/chromium')) {
      t.config.certificates.chromiumPath = '/usr/bin/chromium';
      const pdf = await t.http().get(`/api/v1/inquiries/${answered.inquiryId}/answer`).query({ format: 'pdf' }).set(auth).expect(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      const [after] = await t.sql<{ pdf_key: string | null; pdf_error: string | null }>(`select pdf_key, pdf_error from certificate`);
      expect(after).toMatchObject({ pdf_key: expect.stringMatching(/^answers\//), pdf_error: null });
    }
  });

  it('limits public verifications per IP (429 with Retry-After)', async () => {
    const [cert] = await t.sql<{ number: string; verification_code: string }>(`select number, verification_code from certificate`);
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      codes.push((await t.http().get('/api/v1/certificates/verify').query({ number: cert.number, code: cert.verification_code })).status);
    }
    expect(codes).toEqual([200, 200, 200, 200, 429]);
    const limited = await t.http().post('/api/v1/certificates/verify').send({ jws: 'aaaa.bbbb.cccc' }).expect(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });
});
