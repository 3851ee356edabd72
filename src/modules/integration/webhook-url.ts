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
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** IPv4 embedded in an IPv6 address (mapped `::ffff:a.b.c.d`, NAT64 `64:ff9b::/96`, compatible). */
function embeddedIpv4(address: string): string | null {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|64:ff9b::|::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex) {
    const hi = parseInt(hex[1], 16);
    const lo = parseInt(hex[2], 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return null;
}

export type AddressVerdict = 'public' | 'loopback' | 'forbidden';

/** Classifies one IP address literal. */
export function classifyAddress(address: string): AddressVerdict {
  const family = isIP(address);
  if (family === 0) return 'forbidden';
  if (family === 6) {
    const v4 = embeddedIpv4(address);
    if (v4) return classifyAddress(v4);
    if (loopback.check(address, 'ipv6')) return 'loopback';
    return blocked.check(address, 'ipv6') ? 'forbidden' : 'public';
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
