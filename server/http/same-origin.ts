import "server-only";

import type { IncomingHttpHeaders } from "node:http";
import { env } from "@/server/env";

const APP_ORIGIN = new URL(env.appUrl).origin;

/**
 * Why a state-changing request must be refused as cross-site, or null when it may run.
 *
 * A browser names the page that sent a request in `Origin` (and, without it, in
 * `Sec-Fetch-Site`); another site's form or script cannot forge either. The origin may be
 * `APP_URL`'s, or the one the request was addressed to (its `Host`), which is the same site
 * reached by another name (a LAN address in development). A request with neither header
 * is not from a modern browser: it may run unless it carries cookies, which only a browser
 * would send on someone's behalf (Better Auth refuses the same way).
 */
export function crossSiteRefusal(
  headers: IncomingHttpHeaders,
  appOrigin: string = APP_ORIGIN,
): string | null {
  const origin = headers.origin;
  if (origin !== undefined) {
    if (origin === appOrigin) return null;
    let host: string | undefined;
    try {
      host = new URL(origin).host;
    } catch {
      // "null" (a sandboxed frame, a file, a redirect across sites) or garbage.
    }
    if (host !== undefined && host === headers.host) return null;
    return "Cross-site request refused: its Origin is not this app's";
  }
  const site = headers["sec-fetch-site"];
  if (site !== undefined) {
    return site === "same-origin" ? null : "Cross-site request refused: it came from another site";
  }
  if (headers.cookie !== undefined) return "Send an Origin header with this request";
  return null;
}
