import "server-only";

import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { env } from "@/server/env";

export interface SecurityHeaderOptions {
  /** `APP_URL`: an https origin turns HSTS on. */
  appUrl: string;
  /** Hosted Supabase (realtime, storage), which pages reach from the browser. */
  supabaseUrl?: string | undefined;
  /** Development: React and Next's dev tooling evaluate code. */
  development: boolean;
}

const defaults = (): SecurityHeaderOptions => ({
  appUrl: env.appUrl,
  supabaseUrl: env.supabase?.url,
  development: env.NODE_ENV === "development",
});

/** Headers every response carries, pages and APIs alike. */
export function responseSecurityHeaders(options = defaults()): [string, string][] {
  const headers: [string, string][] = [
    ["X-Content-Type-Options", "nosniff"],
    ["X-Frame-Options", "DENY"],
    ["Referrer-Policy", "strict-origin-when-cross-origin"],
    // Calls use the camera, the microphone and screen sharing on Parley's own pages; no page
    // it frames (none) and nothing else gets them.
    [
      "Permissions-Policy",
      "camera=(self), microphone=(self), display-capture=(self), geolocation=()",
    ],
    // Nothing Parley serves is for other sites to embed (no-cors images, scripts, frames).
    ["Cross-Origin-Resource-Policy", "same-origin"],
  ];
  if (options.appUrl.startsWith("https:")) {
    headers.push(["Strict-Transport-Security", "max-age=31536000; includeSubDomains"]);
  }
  return headers;
}

/**
 * The Content-Security-Policy of an HTML page: scripts only with this response's nonce (Next
 * puts it on its own scripts, next-themes on its inline one) and what those load
 * (`strict-dynamic`); connections, images and media only from Parley itself and, in Supabase
 * mode, the Supabase project. Styles may be inline: React writes style attributes.
 */
export function pageContentSecurityPolicy(nonce: string, options = defaults()): string {
  const supabase = options.supabaseUrl ? new URL(options.supabaseUrl).origin : null;
  const supabaseSocket = supabase?.replace(/^http/, "ws");
  const sources = (...list: (string | null | undefined | false)[]) =>
    list.filter((s): s is string => Boolean(s)).join(" ");
  return [
    `default-src 'self'`,
    `script-src ${sources(`'nonce-${nonce}'`, "'strict-dynamic'", "'self'", options.development && "'unsafe-eval'")}`,
    `style-src 'self' 'unsafe-inline'`,
    `img-src ${sources("'self'", "data:", "blob:", supabase)}`,
    `media-src ${sources("'self'", "blob:", supabase)}`,
    `font-src 'self' data:`,
    `connect-src ${sources("'self'", supabase, supabaseSocket)}`,
    `worker-src 'self' blob:`,
    `object-src 'none'`,
    `base-uri 'self'`,
    `form-action 'self'`,
    `frame-ancestors 'none'`,
  ].join("; ");
}

// The configuration does not change while the process runs: each is built once.
let everyResponse: [string, string][] | undefined;
const NONCE_SLOT = "\u0000nonce\u0000";
let pagePolicy: [string, string] | undefined;

/** Sets the headers every response carries on a Node response. */
export function setResponseSecurityHeaders(res: ServerResponse): void {
  everyResponse ??= responseSecurityHeaders();
  for (const [name, value] of everyResponse) res.setHeader(name, value);
}

/**
 * Before a page is handed to Next: a fresh nonce, and its policy both on the response and on
 * the request, where Next finds the nonce for its scripts (`x-nonce` is what the root layout
 * reads for next-themes). Whatever the client sent in either header is replaced.
 */
export function preparePageRequest(req: IncomingMessage, res: ServerResponse): void {
  const nonce = randomBytes(16).toString("base64");
  pagePolicy ??= pageContentSecurityPolicy(NONCE_SLOT).split(NONCE_SLOT) as [string, string];
  const policy = `${pagePolicy[0]}${nonce}${pagePolicy[1]}`;
  delete req.headers["content-security-policy-report-only"];
  req.headers["content-security-policy"] = policy;
  req.headers["x-nonce"] = nonce;
  res.setHeader("Content-Security-Policy", policy);
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
}
