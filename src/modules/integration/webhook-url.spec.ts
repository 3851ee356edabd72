import { attemptsCovering } from './webhooks.service';
import { signWebhook, verifyWebhook } from './webhook-signature';
import { checkWebhookUrl, classifyAddress, embeddedIpv4, ipv6Groups } from './webhook-url';

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

describe('IPv6 forms carrying an IPv4 address (one normalization before the range check)', () => {
  it.each([
    // IPv4-compatible (deprecated), dotted and as the URL parser writes it (hex)
    ['::169.254.169.254', '169.254.169.254'],
    ['::a9fe:a9fe', '169.254.169.254'],
    ['::127.0.0.1', '127.0.0.1'],
    ['::7f00:1', '127.0.0.1'],
    // IPv4-mapped
    ['::ffff:10.1.2.3', '10.1.2.3'],
    ['::ffff:a01:203', '10.1.2.3'],
    ['0:0:0:0:0:ffff:c0a8:0101', '192.168.1.1'],
    // IPv4-translated ::ffff:0:0:0/96
    ['::ffff:0:a9fe:a9fe', '169.254.169.254'],
    ['::ffff:0:10.0.0.1', '10.0.0.1'],
    // NAT64 well-known 64:ff9b::/96 and local-use 64:ff9b:1::/48 (RFC 6052 /48 layout)
    ['64:ff9b::192.168.1.1', '192.168.1.1'],
    ['64:ff9b::a9fe:a9fe', '169.254.169.254'],
    ['64:ff9b:1:a9fe:a9:fe00::', '169.254.169.254'],
    // 6to4 2002:AABB:CCDD::/48
    ['2002:a9fe:a9fe::1', '169.254.169.254'],
    ['2002:7f00:1::', '127.0.0.1'],
    ['2002:0808:0808:1::1', '8.8.8.8'],
    // Teredo 2001:0::/32: server in bits 32-63, client = last 32 bits inverted
    ['2001:0:4136:e378:8000:63bf:5601:5601', '169.254.169.254'],
    ['2001:0000:4136:e378:8000:63bf:80ff:fffe', '127.0.0.1'],
    ['2001:0:4136:e378:8000:63bf:f7f7:f7f7', '8.8.8.8'],
    // IPv6's own addresses carry none
    ['::1', null],
    ['::', null],
    ['2606:4700:4700::1111', null],
    ['fe80::1', null],
    ['not-an-ip', null],
    ['10.0.0.1', null],
  ])('%s carries %s', (address, ipv4) => {
    expect(embeddedIpv4(address)).toBe(ipv4);
  });

  it('expands every IPv6 spelling to eight groups', () => {
    expect(ipv6Groups('::')).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(ipv6Groups('1::')).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    expect(ipv6Groups('1:2:3:4:5:6:7.8.9.10')).toEqual([1, 2, 3, 4, 5, 6, 0x0708, 0x090a]);
    expect(ipv6Groups('fe80::1%eth0')).toEqual([0xfe80, 0, 0, 0, 0, 0, 0, 1]);
    expect(ipv6Groups('1.2.3.4')).toBeNull();
  });

  it.each([
    // the addresses, each refused
    ['::169.254.169.254', 'forbidden'],
    ['::a9fe:a9fe', 'forbidden'],
    ['::ffff:0:a9fe:a9fe', 'forbidden'],
    ['2002:a9fe:a9fe::1', 'forbidden'],
    ['2001:0:4136:e378:8000:63bf:5601:5601', 'forbidden'],
    ['64:ff9b::a9fe:a9fe', 'forbidden'],
    ['64:ff9b::7f00:1', 'forbidden'],
    // a loopback IPv4 reached through a translator or relay is someone else's loopback: never allowed
    ['::127.0.0.1', 'forbidden'],
    ['::7f00:1', 'forbidden'],
    ['2002:7f00:1::', 'forbidden'],
    ['2001:0000:4136:e378:8000:63bf:80ff:fffe', 'forbidden'],
    // only the mapped form is this host's loopback
    ['::ffff:7f00:1', 'loopback'],
    // local-use NAT64 is never globally reachable, whatever it carries
    ['64:ff9b:1:808:8:800::', 'forbidden'],
    // IPv6 ranges of their own
    ['fc00::1', 'forbidden'],
    ['fdff:ffff::1', 'forbidden'],
    ['fe80::1%eth0', 'forbidden'],
    ['fec0::1', 'forbidden'],
    ['ff05::2', 'forbidden'],
    ['2001:db8::1', 'forbidden'],
    ['100::1', 'forbidden'],
    // public ones stay public
    ['2002:0808:0808::1', 'public'],
    ['64:ff9b::808:808', 'public'],
    ['2001:0:4136:e378:8000:63bf:f7f7:f7f7', 'public'],
    ['2a00:1450:4001:80b::200e', 'public'],
  ])('%s is %s', (address, verdict) => {
    expect(classifyAddress(address)).toBe(verdict);
  });

  it('refuses a host name resolving to an IPv6 form of a private address (registration and delivery use the same check)', async () => {
    for (const address of ['2002:a9fe:a9fe::1', '::ffff:0:a9fe:a9fe', '64:ff9b::a00:1', '2001:0:4136:e378:8000:63bf:5601:5601']) {
      const resolver = async () => [{ address: '93.184.216.34', family: 4 }, { address, family: 6 }];
      await expect(checkWebhookUrl('https://hooks.example/x', true, resolver)).rejects.toMatchObject({ code: 'WEBHOOK_URL_FORBIDDEN' });
    }
    const ok = await checkWebhookUrl('https://hooks.example/x', false, async () => [{ address: '2a00:1450:4001:80b::200e', family: 6 }]);
    expect(ok.addresses).toEqual([{ address: '2a00:1450:4001:80b::200e', family: 6 }]);
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
