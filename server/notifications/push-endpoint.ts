import "server-only";

import { isIP } from "node:net";

const LOOPBACK = new Set(["127.0.0.1", "::1", "[::1]", "localhost"]);

/**
 * Why a push subscription's endpoint may not be used, or null when it may: it must be an
 * https URL on one of the push services Parley posts to (or a subdomain of one), so a client
 * cannot make the server post to an address of its choosing. A loopback address on the list
 * also admits plain http to it (a push service started by a test).
 */
export function pushEndpointProblem(
  endpoint: string,
  allowedHosts: readonly string[],
): string | null {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return "The endpoint is not a URL";
  }
  if (url.username || url.password) return "The endpoint may not carry credentials";
  const host = url.hostname.toLowerCase();
  const allowed = allowedHosts.some((entry) =>
    isIP(entry) || LOOPBACK.has(entry)
      ? host === entry || `[${entry}]` === host
      : host === entry || host.endsWith(`.${entry}`),
  );
  if (!allowed) return "The endpoint is not on a push service this server posts to";
  if (url.protocol === "https:") return null;
  if (url.protocol === "http:" && LOOPBACK.has(host)) return null;
  return "The endpoint must be an https URL";
}
