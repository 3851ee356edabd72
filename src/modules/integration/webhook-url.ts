import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { IntegrationErrors } from './integration.errors';

/** Addresses a webhook may never reach (SSRF): private, loopback, link-local, CGNAT, multicast, reserved. */
const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['100::', 64], // discard-only
  ['64:ff9b:1::', 48], // local-use NAT64 (RFC 8215): never globally reachable
  ['2001:2::', 48], // benchmarking
  ['2001:10::', 28], // ORCHID
  ['2001:20::', 28], // ORCHIDv2
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** The eight 16-bit groups of an IPv6 address literal (zone dropped), or null when it is not one. */
export function ipv6Groups(address: string): number[] | null {
  let s = address.toLowerCase().replace(/%.*$/, '');
  if (isIP(s) !== 6) return null;
  const tail: number[] = [];
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    tail.push((a << 8) | b, (c << 8) | d);
    s = s.slice(0, dotted.index);
    if (s.endsWith(':') && !s.endsWith('::')) s = s.slice(0, -1);
  }
  const [head, rest] = s.split('::') as [string, string | undefined];
  const hex = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const before = hex(head);
  const after = hex(rest);
  const zeros = rest === undefined ? [] : new Array<number>(8 - before.length - after.length - tail.length).fill(0);
  const groups = [...before, ...zeros, ...after, ...tail];
  return groups.length === 8 ? groups : null;
}

const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
const zero = (groups: number[], from: number, to: number) => groups.slice(from, to).every((g) => g === 0);

/**
 * The IPv4 address an IPv6 address carries, in every form that reaches it: IPv4-mapped
 * `::ffff:a.b.c.d`, IPv4-compatible `::a.b.c.d` (deprecated), IPv4-translated
 * `::ffff:0:a.b.c.d`, NAT64 `64:ff9b::/96` and local-use `64:ff9b:1::/48` (RFC 6052 /48
 * layout), 6to4 `2002:AABB:CCDD::/16` and Teredo `2001:0::/32` (the client address: the
 * last 32 bits inverted). Null when there is none (`::` and `::1` are IPv6's own).
 */
export function embeddedIpv4(address: string): string | null {
  return embedded(address)?.ipv4 ?? null;
}

function embedded(address: string): { ipv4: string; mapped: boolean } | null {
  const g = ipv6Groups(address);
  if (!g) return null;
  const found = (hi: number, lo: number, mapped = false) => ({ ipv4: v4(hi, lo), mapped });
  if (zero(g, 0, 5) && g[5] === 0xffff) return found(g[6], g[7], true); // mapped
  if (zero(g, 0, 4) && g[4] === 0xffff && g[5] === 0) return found(g[6], g[7]); // translated
  if (zero(g, 0, 6)) return g[6] === 0 && g[7] <= 1 ? null : found(g[6], g[7]); // compatible (not :: or ::1)
  if (g[0] === 0x64 && g[1] === 0xff9b && zero(g, 2, 6)) return found(g[6], g[7]); // NAT64 well-known
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return found(g[3], ((g[4] & 0xff) << 8) | (g[5] >> 8)); // NAT64 local-use, /48
  if (g[0] === 0x2002) return found(g[1], g[2]); // 6to4
  if (g[0] === 0x2001 && g[1] === 0) return found(g[6] ^ 0xffff, g[7] ^ 0xffff); // Teredo client
  return null;
}

export type AddressVerdict = 'public' | 'loopback' | 'forbidden';

/** Classifies one IP address literal; an IPv6 one by the IPv4 address it carries, when it carries one (`embeddedIpv4`). */
export function classifyAddress(address: string): AddressVerdict {
  const family = isIP(address);
  if (family === 0) return 'forbidden';
  if (family === 6) {
    const plain = address.replace(/%.*$/, '');
    if (loopback.check(plain, 'ipv6')) return 'loopback';
    if (blocked.check(plain, 'ipv6')) return 'forbidden';
    const inner = embedded(plain);
    if (!inner) return 'public';
    const verdict = classifyAddress(inner.ipv4);
    // only a mapped address reaches this host's own loopback; through a translator or a relay
    // (6to4, Teredo, NAT64) a loopback or private IPv4 is someone else's network: refused
    return inner.mapped || verdict === 'public' ? verdict : 'forbidden';
  }
  if (loopback.check(address, 'ipv4')) return 'loopback';
  return blocked.check(address, 'ipv4') ? 'forbidden' : 'public';
}

export interface WebhookTarget {
  url: URL;
  /** Every address the host resolved to, all checked; connect to the first. */
  addresses: Array<{ address: string; family: 4 | 6 }>;
}

export type Resolver = (host: string) => Promise<Array<{ address: string; family: number }>>;
const systemResolver: Resolver = (host) => lookup(host, { all: true, verbatim: true });

/**
 * Checks a webhook URL against SSRF: https only (http too when loopback is allowed), no
 * credentials, and every address the host resolves to must be public; with
 * `allowLoopback` (sandbox, tests) loopback addresses pass too — private ones never do.
 * Called at registration and again before every delivery (DNS may change); the delivery
 * connects to the checked address, so a second lookup cannot swap it.
 */
export async function checkWebhookUrl(raw: string, allowLoopback: boolean, resolve: Resolver = systemResolver): Promise<WebhookTarget> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw IntegrationErrors.WEBHOOK_URL_INVALID();
  }
  const httpsOnly = url.protocol === 'https:';
  if (!httpsOnly && !(allowLoopback && url.protocol === 'http:')) throw IntegrationErrors.WEBHOOK_URL_INVALID();
  if (url.username || url.password || raw.length > 2000) throw IntegrationErrors.WEBHOOK_URL_INVALID();
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!host) throw IntegrationErrors.WEBHOOK_URL_INVALID();
  let resolved: Array<{ address: string; family: number }>;
  if (isIP(host)) {
    resolved = [{ address: host, family: isIP(host) }];
  } else {
    try {
      resolved = await resolve(host);
    } catch {
      throw IntegrationErrors.WEBHOOK_URL_UNRESOLVABLE();
    }
    if (!resolved.length) throw IntegrationErrors.WEBHOOK_URL_UNRESOLVABLE();
  }
  for (const { address } of resolved) {
    const verdict = classifyAddress(address);
    if (verdict === 'forbidden' || (verdict === 'loopback' && !allowLoopback)) throw IntegrationErrors.WEBHOOK_URL_FORBIDDEN();
  }
  return { url, addresses: resolved.map((r) => ({ address: r.address, family: r.family === 6 ? 6 : 4 })) };
}
