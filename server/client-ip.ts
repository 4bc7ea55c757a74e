import "server-only";

import { isIP } from "node:net";

/** IPv4-mapped IPv6 (`::ffff:1.2.3.4`) is the same client as `1.2.3.4`. */
function normalize(address: string): string {
  const trimmed = address.trim();
  return trimmed.startsWith("::ffff:") && isIP(trimmed.slice(7)) === 4 ? trimmed.slice(7) : trimmed;
}

/**
 * The client's address for rate limits and audit rows. `X-Forwarded-For` is believed only
 * when the connection comes from a configured trusted proxy, and then only up to the first
 * hop that is not itself trusted: anyone else could write any address there.
 */
export function resolveClientIp(
  peerAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustedProxies: ReadonlySet<string>,
): string | undefined {
  const peer = peerAddress ? normalize(peerAddress) : undefined;
  if (!peer || !trustedProxies.has(peer) || forwardedFor === undefined) return peer;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor)
    .split(",")
    .map(normalize)
    .filter((hop) => isIP(hop) !== 0);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i];
    if (hop && !trustedProxies.has(hop)) return hop;
  }
  return hops[0] ?? peer;
}
