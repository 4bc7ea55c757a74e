import "server-only";

import dns from "node:dns";
import type { Agent } from "node:http";
import type { LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";
import {
  RequestFilteringHttpAgent,
  RequestFilteringHttpsAgent,
  type RequestFilteringAgentOptions,
} from "request-filtering-agent";

/**
 * What the server may reach when a person names an address (a link to preview, a webhook's
 * endpoint): checked before connecting, and again by the agent at the moment of connecting.
 */

/** An address the server will not reach however often it is asked: no retry helps. */
export class AddressRefused extends Error {
  override readonly name = "AddressRefused";
}

export interface AddressRules {
  /** Ports the address may name, or any. */
  ports: readonly number[] | "any";
  /** Addresses reachable although not public (IPs or CIDRs). */
  allowedAddresses?: readonly string[];
  /**
   * Loopback and private addresses reachable too (a development machine's own receiver);
   * link-local and cloud metadata addresses stay refused.
   */
  allowPrivate?: boolean;
}

/** The address parsed, if it is http(s), carries no credentials and names an allowed port. */
export function checkOutboundUrl(raw: string, rules: Pick<AddressRules, "ports">): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AddressRefused("not an address");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new AddressRefused(`not http(s): ${url.protocol}`);
  }
  if (url.username || url.password) throw new AddressRefused("credentials in the address");
  const port = url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
  if (rules.ports !== "any" && !rules.ports.includes(port)) {
    throw new AddressRefused(`port ${port}`);
  }
  return url;
}

/**
 * An agent for one request to `url` that checks the address each host name resolves to when
 * it connects (so a name that resolves to a public address for a check and a private one for
 * the request gets nowhere): loopback, private, link-local (cloud metadata), multicast,
 * reserved and IPv4-mapped addresses are refused unless the rules open them.
 */
export function filteringAgent(url: URL, rules: AddressRules): Agent {
  const filter: RequestFilteringAgentOptions = {
    allowIPAddressList: [...(rules.allowedAddresses ?? [])],
    allowPrivateIPAddress: rules.allowPrivate ?? false,
    allowMetaIPAddress: false,
  };
  return url.protocol === "https:"
    ? new RequestFilteringHttpsAgent(filter)
    : new RequestFilteringHttpAgent(filter);
}

/** Whether a request failed because the agent refused the address it resolved to. */
export function isAddressRefusal(error: Error): boolean {
  return error instanceof AddressRefused || /is not allowed/.test(error.message);
}

/**
 * Refuses, before any request, an address whose host is itself a non-public address (an IP
 * literal or `localhost`) that the rules keep shut: a person saving such an address learns at
 * once. Names are resolved and checked only as a request connects (`filteringAgent`).
 */
export function refuseNonPublicHost(url: URL, rules: Omit<AddressRules, "ports">): void {
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) {
    if (!rules.allowPrivate) throw new AddressRefused("a loopback address");
    return;
  }
  if (!ipaddr.isValid(host)) return;
  const parsed = ipaddr.process(host);
  if ((rules.allowedAddresses ?? []).some((allowed) => inRange(parsed, allowed))) return;
  const range = parsed.range();
  if (range === "unicast") return;
  if (ALWAYS_REFUSED.has(range) || !rules.allowPrivate) {
    throw new AddressRefused(`a ${range} address`);
  }
}

function inRange(address: ipaddr.IPv4 | ipaddr.IPv6, allowed: string): boolean {
  try {
    const [network, bits] = allowed.includes("/")
      ? ipaddr.parseCIDR(allowed)
      : [ipaddr.parse(allowed), address.kind() === "ipv4" ? 32 : 128];
    return network.kind() === address.kind() && address.match(network, bits);
  } catch {
    return false;
  }
}

/** Ranges no setting opens: cloud metadata endpoints live in link-local space. */
const ALWAYS_REFUSED = new Set(["linkLocal", "unspecified"]);

/**
 * Name resolution that refuses link-local and unspecified addresses whatever the agent
 * allows: opening private ranges (a development machine) must not open cloud metadata. An
 * address written into the URL itself is checked by `refuseNonPublicHost` instead.
 */
export function guardedLookup(base: LookupFunction = dns.lookup): LookupFunction {
  return (hostname, options, callback) => {
    base(hostname, options, (error, address, family) => {
      if (error) return callback(error, address, family);
      const all = Array.isArray(address) ? address : [{ address, family: family ?? 0 }];
      const refused = all.find(
        (a) => ipaddr.isValid(a.address) && ALWAYS_REFUSED.has(ipaddr.process(a.address).range()),
      );
      if (refused) {
        return callback(
          new AddressRefused(`${refused.address} (${hostname}) is not allowed: link-local`),
          address,
          family,
        );
      }
      callback(null, address, family);
    });
  };
}
