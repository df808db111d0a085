// Which URLs a webhook may post to (docs/events.md): http(s) only, and, unless
// ROSTER_WEBHOOK_ALLOW_PRIVATE is on, never an address inside the server's own networks, so a
// webhook cannot be turned into a probe of them. Every address the host resolves to is checked
// (a name with one public and one private address is refused), at registration and again before
// each delivery (the name may point elsewhere since).
import { BlockList, isIP } from 'node:net';
import { lookup } from 'node:dns/promises';
import { invalid } from './errors.ts';

const PRIVATE = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  PRIVATE.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  PRIVATE.addSubnet(net, bits, 'ipv6');
}

/** Whether an IP address is loopback, private, link-local, or otherwise not on the internet. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return PRIVATE.check(address, 'ipv4');
  if (family !== 6) return true;
  // An IPv4 address written as IPv6 (::ffff:10.0.0.1) is that IPv4 address.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return PRIVATE.check(mapped[1], 'ipv4');
  return PRIVATE.check(address, 'ipv6');
}

export const MAX_WEBHOOK_URL = 2048;

const bad = (message: string) => invalid('webhook.url-invalid', message, { field: 'url' });

/** The URL, normalized; a 400 naming what is wrong otherwise. */
export async function checkWebhookUrl(raw: string, allowPrivate: boolean): Promise<string> {
  if (raw.length > MAX_WEBHOOK_URL) throw bad(`url must be at most ${MAX_WEBHOOK_URL} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw bad('url must be an absolute http:// or https:// URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw bad('url must use http or https');
  if (url.username || url.password) throw bad('url must not carry credentials');
  if (!allowPrivate) await refusePrivate(url.hostname.replace(/^\[|\]$/g, ''));
  return url.toString();
}

async function refusePrivate(host: string): Promise<void> {
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
    } catch {
      throw bad(`url host ${host} does not resolve`);
    }
  }
  if (!addresses.length || addresses.some(isPrivateAddress)) {
    throw bad(`url host ${host} is a private, loopback or link-local address (set ROSTER_WEBHOOK_ALLOW_PRIVATE=true to allow)`);
  }
}
