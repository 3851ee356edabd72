import { attemptsCovering } from './webhooks.service';
import { signWebhook, verifyWebhook } from './webhook-signature';
import { classifyAddress } from './webhook-url';

describe('webhook URL address classes (SSRF)', () => {
  it.each([
    ['93.184.216.34', 'public'],
    ['8.8.8.8', 'public'],
    ['2606:4700:4700::1111', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.9.9.9', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['10.0.0.1', 'forbidden'],
    ['172.16.5.4', 'forbidden'],
    ['172.31.255.255', 'forbidden'],
    ['192.168.0.1', 'forbidden'],
    ['169.254.169.254', 'forbidden'],
    ['100.64.0.1', 'forbidden'],
    ['100.127.255.254', 'forbidden'],
    ['0.0.0.0', 'forbidden'],
    ['224.0.0.251', 'forbidden'],
    ['255.255.255.255', 'forbidden'],
    ['198.18.0.1', 'forbidden'],
    ['fd12:3456::1', 'forbidden'],
    ['fe80::1', 'forbidden'],
    ['ff02::1', 'forbidden'],
    ['::', 'forbidden'],
    ['::ffff:10.1.2.3', 'forbidden'],
    ['::ffff:a01:203', 'forbidden'],
    ['64:ff9b::192.168.1.1', 'forbidden'],
    ['not-an-ip', 'forbidden'],
  ])('%s is %s', (address, verdict) => {
    expect(classifyAddress(address)).toBe(verdict);
  });
  it('keeps 172.32/12 neighbours and 100.128 public', () => {
    expect(classifyAddress('172.32.0.1')).toBe('public');
    expect(classifyAddress('100.128.0.1')).toBe('public');
  });
});

describe('webhook signatures', () => {
  const secret = 'whsec_test';
  const body = '{"id":"evt_1","type":"inquiry.answered"}';
  it('verifies its own signature and refuses changes, other secrets and old timestamps', () => {
    const now = Date.now();
    const header = signWebhook(secret, body, Math.floor(now / 1000));
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhook(secret, body, header, 300, now)).toBe(true);
    expect(verifyWebhook(secret, `${body} `, header, 300, now)).toBe(false);
    expect(verifyWebhook('whsec_other', body, header, 300, now)).toBe(false);
    expect(verifyWebhook(secret, body, header, 300, now + 301_000)).toBe(false);
    expect(verifyWebhook(secret, body, 'garbage', 300, now)).toBe(false);
    expect(verifyWebhook(secret, body, `${header},v1=00`, 300, now)).toBe(true); // extra signatures (rotation) are allowed
  });
});

describe('webhook retry window', () => {
  it('30 s doubling backoff capped at an hour covers 24 h: the first try and 30 retries', () => {
    expect(attemptsCovering(24)).toBe(31);
    expect(attemptsCovering(1)).toBe(8);
  });
});
