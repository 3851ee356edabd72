import QRCode from 'qrcode';
import { certificateQrPayload, jwsFromQrText, maskRenewalCode, verificationPage } from './verify-page';

const URL_ = 'https://shahr.qazvin.ir/api/v1/certificates/verify?number=1405-1-000012&code=7K3QX9MB';
const JWS = 'eyJhbGciOiJFZERTQSIsImtpZCI6ImsxIn0.eyJzdWIiOiIxNDA1LTEtMDAwMDEyIn0.c2lnbmF0dXJlXy1h';

describe('certificate QR payload', () => {
  it('is exactly one URL: the verify URL with the JWS in the fragment, no whitespace', () => {
    const text = certificateQrPayload(URL_, JWS);
    expect(text).toBe(`${URL_}#jws=${JWS}`);
    expect(text).not.toMatch(/\s/);
    const url = new URL(text);
    expect(url.origin + url.pathname + url.search).toBe(URL_);
    expect(url.hash).toBe(`#jws=${JWS}`);
    // what a phone's camera reads back is the same single segment of text
    const qr = QRCode.create(text, { errorCorrectionLevel: 'L' });
    expect(qr.segments.map((s: { data: Uint8Array | string }) => Buffer.from(s.data as Uint8Array).toString('utf8')).join('')).toBe(text);
  });

  it('gives the JWS back from the QR text (new and old forms) and from a bare JWS', () => {
    expect(jwsFromQrText(certificateQrPayload(URL_, JWS))).toBe(JWS);
    expect(jwsFromQrText(`${URL_}\n${JWS}`)).toBe(JWS);
    expect(jwsFromQrText(`  ${JWS} `)).toBe(JWS);
  });
});

describe('verification page', () => {
  it('masks the parcel and unit parts of the renewal code', () => {
    expect(maskRenewalCode('1-7-12-34-0-0-0')).toBe('1-7-12-**-*-*-*');
  });

  it('escapes every value', () => {
    const html = verificationPage(
      {
        status: 'revoked',
        certificate: {
          number: '1405-1-000012',
          inquiryType: 'office',
          region: 1,
          renewalCode: '1-7-12-34-0-0-0',
          issuedAt: '2026-11-25T08:30:00.000Z',
          issuedAtJalali: '1405/09/04',
          validUntil: '2027-02-23T08:30:00.000Z',
          validUntilJalali: '1405/12/04',
          addressee: '<script>alert(1)</script>',
          contentHash: 'ab"cd',
          kid: 'k',
          revokedAt: '2026-11-26T08:30:00.000Z',
          revocationReason: '<img src=x onerror=alert(1)>',
        },
      },
      { issuerTitle: 'مدیر <b>منطقه</b>' },
    );
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&#60;script&#62;');
    expect(html).toContain('باطل شده');
    expect(html).toContain('lang="fa" dir="rtl"');
    expect(html).not.toContain('34-0-0-0');
  });
});
