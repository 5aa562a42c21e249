import 'server-only';

import http from 'node:http';
import { BlockList, isIP } from 'node:net';

import { serverEnv } from '@/lib/env';

/**
 * Who is asking: the address that sign-in throttling and rate limits key on (issue 19, finding
 * "sign-in throttling can be bypassed"). X-Forwarded-For is only a claim; any client can send
 * one. So:
 *
 * - `installPeerAddressHeader()` (from instrumentation.ts) writes the TCP peer's address into
 *   the request header `x-autodidact-peer` before Next sees the request, overwriting whatever a
 *   client sent under that name. Next's route handlers cannot see the socket otherwise.
 * - `clientAddress()` takes that peer. Only when the peer is one of AUTODIDACT_TRUSTED_PROXIES
 *   does it read X-Forwarded-For, right to left, skipping further trusted proxies: the first
 *   address a trusted proxy did not add is the client (the rule Express's `trust proxy` uses).
 *
 * Without the hook (`next dev`, tests calling lib/ functions with plain Headers) there is no
 * peer header; then the forwarded headers are not believed either and the address is unknown.
 */

export const PEER_HEADER = 'x-autodidact-peer';
const INSTALLED = Symbol.for('autodidact.peerAddressHeader');

export function installPeerAddressHeader(): void {
  const proto = http.Server.prototype as http.Server & { [INSTALLED]?: true };
  if (proto[INSTALLED]) return;
  proto[INSTALLED] = true;
  type Emit = (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
  const emit = Reflect.get(proto, 'emit') as Emit;
  const withPeer: Emit = function (event, ...args) {
    if (event === 'request') {
      const req = args[0] as http.IncomingMessage;
      req.headers[PEER_HEADER] = normaliseAddress(req.socket.remoteAddress ?? '') ?? 'unknown';
    }
    return emit.apply(this, [event, ...args]);
  };
  Reflect.set(proto, 'emit', withPeer);
}

/** `::ffff:127.0.0.1` → `127.0.0.1`; null for anything that is not an IP address. */
export function normaliseAddress(raw: string): string | null {
  let address = raw.trim();
  if (address.startsWith('[') && address.includes(']')) address = address.slice(1, address.indexOf(']'));
  if (/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(address)) address = address.slice(7);
  const zone = address.indexOf('%');
  if (zone > 0) address = address.slice(0, zone);
  return isIP(address) ? address.toLowerCase() : null;
}

/** A BlockList of the configured proxies (IPs and CIDR ranges, already validated by lib/env.ts). */
export function trustedProxyList(spec: string | undefined): BlockList {
  const list = new BlockList();
  for (const entry of (spec ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [address = '', prefix] = entry.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return list;
}

function isTrusted(list: BlockList, address: string): boolean {
  return list.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

let configured: { spec: string | undefined; list: BlockList } | undefined;

function configuredProxies(): BlockList {
  const spec = serverEnv().AUTODIDACT_TRUSTED_PROXIES;
  if (!configured || configured.spec !== spec) configured = { spec, list: trustedProxyList(spec) };
  return configured.list;
}

/**
 * The client's address, or null when it cannot be known (no peer header). `proxies` defaults to
 * AUTODIDACT_TRUSTED_PROXIES.
 */
export function clientAddress(headers: Pick<Headers, 'get'>, proxies: BlockList = configuredProxies()): string | null {
  const peer = normaliseAddress(headers.get(PEER_HEADER) ?? '');
  if (!peer) return null;
  if (!isTrusted(proxies, peer)) return peer;
  const forwarded = (headers.get('x-forwarded-for') ?? '').split(',').map((part) => part.trim());
  for (let index = forwarded.length - 1; index >= 0; index--) {
    const address = normaliseAddress(forwarded[index] ?? '');
    // A malformed entry ends the chain: whatever lies left of it is the client's own claim.
    if (!address) return peer;
    if (!isTrusted(proxies, address)) return address;
    // A trusted proxy forwarded for the next one to the left.
  }
  // Every hop was a trusted proxy: the leftmost one is the best we know.
  return normaliseAddress(forwarded[0] ?? '') ?? peer;
}
