import { checkReturnUrl, returnUrlFor } from './public-url';

describe('return URL allow-list', () => {
  const allowed = new Set(['https://shahr.qazvin.ir', 'http://localhost:3000']);
  it.each([
    ['https://shahr.qazvin.ir/pay/done', 'https://shahr.qazvin.ir/pay/done'],
    ['https://SHAHR.qazvin.ir/x?a=1#f', 'https://shahr.qazvin.ir/x?a=1#f'],
    ['http://localhost:3000/', 'http://localhost:3000/'],
  ])('accepts %s', (raw, expected) => expect(checkReturnUrl(raw, allowed)).toBe(expected));
  it.each([
    'https://evil.example/',
    'https://shahr.qazvin.ir.evil.example/',
    'https://shahr.qazvin.ir:8443/',
    'http://shahr.qazvin.ir/',
    'https://user:pw@shahr.qazvin.ir/',
    'javascript:alert(1)',
    '//shahr.qazvin.ir/x',
    '/relative',
    'not a url',
    `https://shahr.qazvin.ir/${'a'.repeat(2000)}`,
  ])('refuses %s', (raw) => expect(checkReturnUrl(raw, allowed)).toBeNull());

  it('adds only paymentId, replacing one already there', () => {
    expect(returnUrlFor('https://shahr.qazvin.ir/done?x=1&paymentId=forged', 'abc')).toBe('https://shahr.qazvin.ir/done?x=1&paymentId=abc');
  });
});
