import { SmsParamSealer } from './sms-param-sealer';

describe('SmsParamSealer (AES-256-GCM for secret job parameters)', () => {
  const sealer = new SmsParamSealer('an-application-secret-of-at-least-32-chars');
  const messageId = '0193b2d4-7c1e-7a3b-9d2f-5e8c1a6b4f20';

  it('round-trips, never shows the value, and uses a fresh IV each time', () => {
    const a = sealer.seal('482917', messageId);
    const b = sealer.seal('482917', messageId);
    expect(a).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(a).not.toContain('482917');
    expect(a).not.toBe(b);
    expect(sealer.open(a, messageId)).toBe('482917');
  });

  it('seals only the secret parameters of a job and opens them back', () => {
    const sealed = sealer.sealParams({ code: '482917', region: '2' }, new Set(['code']), messageId);
    expect(sealed.region).toBe('2');
    expect(JSON.stringify(sealed)).not.toContain('482917');
    expect(sealer.openParams(sealed, messageId)).toEqual({ code: '482917', region: '2' });
  });

  it('refuses a value sealed for another message, with another key, or tampered with', () => {
    const sealed = sealer.seal('482917', messageId);
    expect(() => sealer.open(sealed, 'another-message')).toThrow();
    expect(() => new SmsParamSealer('another-secret-of-at-least-32-characters').open(sealed, messageId)).toThrow();
    const [v, iv, ct, tag] = sealed.split('.');
    const flipped = Buffer.from(ct, 'base64url');
    flipped[0] ^= 1;
    expect(() => sealer.open([v, iv, flipped.toString('base64url'), tag].join('.'), messageId)).toThrow();
    expect(() => sealer.open('v2.a.b.c', messageId)).toThrow('unknown format');
  });
});
