import "server-only";

import type { IncomingMessage } from "node:http";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import {
  AddressRefused,
  checkOutboundUrl,
  filteringAgent,
  isAddressRefusal,
} from "@/server/outbound/address";

/** A page that will not have a preview however often it is asked for: no retry. */
export class PreviewRefused extends Error {
  override readonly name = "PreviewRefused";
}

/** A failure that may pass (a timeout, a server error): worth another attempt later. */
export class PreviewUnavailable extends Error {
  override readonly name = "PreviewUnavailable";
}

export interface FetchPageOptions {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects?: number;
  /** Addresses reachable although not public (LINK_PREVIEW_ALLOWED_ADDRESSES). */
  allowedAddresses?: string[];
  /** Ports a link may name (LINK_PREVIEW_PORTS); the web's own by default. */
  ports?: readonly number[] | "any";
  /** Name resolution, for tests that point a host name at an address. */
  lookup?: LookupFunction;
}

export const WEB_PORTS: readonly number[] = [80, 443, 8080, 8443];
const HTML_TYPES = ["text/html", "application/xhtml+xml"];
const USER_AGENT = "ParleyLinkPreview/1.0";

/** A page's HTML, as far as `maxBytes` of it, decoded, and the address it came from. */
export interface FetchedPage {
  url: string;
  html: string;
}

/**
 * Fetches a page for its preview without letting a link reach anything but the public web:
 * every connection, redirects included, goes through request-filtering-agent, which checks
 * the address each host name resolved to at the moment of connecting (so a name that
 * resolves to a public address for a check and a private one for the fetch gets nowhere).
 * Loopback, private, link-local (cloud metadata endpoints), multicast, reserved and
 * IPv4-mapped addresses are refused. Only http(s) on the web's ports, no credentials in the
 * address, HTML only, no compression (no decompression bombs), at most `maxBytes` read and
 * `timeoutMs` spent in all.
 */
export async function fetchPage(url: string, options: FetchPageOptions): Promise<FetchedPage> {
  const deadline = Date.now() + options.timeoutMs;
  const maxRedirects = options.maxRedirects ?? 3;
  let current = checkAddress(url, options);
  for (let hop = 0; ; hop++) {
    const response = await request(current, options, deadline);
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && response.headers.location) {
      response.destroy();
      if (hop >= maxRedirects) throw new PreviewRefused("too many redirects");
      current = checkAddress(new URL(response.headers.location, current).toString(), options);
      continue;
    }
    if (status !== 200) {
      response.destroy();
      if (status >= 500 || status === 429) throw new PreviewUnavailable(`answered ${status}`);
      throw new PreviewRefused(`answered ${status}`);
    }
    const type = (response.headers["content-type"] ?? "").toLowerCase();
    if (!HTML_TYPES.some((t) => type.startsWith(t))) {
      response.destroy();
      throw new PreviewRefused(`not HTML: ${type || "no content type"}`);
    }
    const encoding = (response.headers["content-encoding"] ?? "identity").toLowerCase();
    if (encoding !== "identity") {
      response.destroy();
      throw new PreviewRefused(`compressed (${encoding}) though asked not to be`);
    }
    const body = await readAtMost(response, options.maxBytes, deadline);
    return { url: current.toString(), html: decode(body, type) };
  }
}

function checkAddress(raw: string, options: FetchPageOptions): URL {
  try {
    return checkOutboundUrl(raw, { ports: options.ports ?? WEB_PORTS });
  } catch (error) {
    if (error instanceof AddressRefused) throw new PreviewRefused(error.message);
    throw error;
  }
}

function request(url: URL, options: FetchPageOptions, deadline: number): Promise<IncomingMessage> {
  const secure = url.protocol === "https:";
  const agent = filteringAgent(url, {
    ports: options.ports ?? WEB_PORTS,
    allowedAddresses: options.allowedAddresses ?? [],
  });
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request(url, {
      agent,
      method: "GET",
      headers: {
        "user-agent": USER_AGENT,
        accept: "text/html,application/xhtml+xml;q=0.9",
        "accept-encoding": "identity",
      },
      lookup: options.lookup,
    });
    const timer = setTimeout(
      () => req.destroy(new PreviewUnavailable("timed out")),
      Math.max(1, deadline - Date.now()),
    );
    req.on("response", (response) => {
      clearTimeout(timer);
      resolve(response);
    });
    req.on("error", (error) => {
      clearTimeout(timer);
      agent.destroy();
      reject(classify(error));
    });
    req.on("close", () => agent.destroy());
    req.end();
  });
}

/** An address the agent refused is for good; a network failure may pass. */
function classify(error: Error): Error {
  if (error instanceof PreviewRefused || error instanceof PreviewUnavailable) return error;
  if (isAddressRefusal(error)) return new PreviewRefused(error.message);
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOTFOUND") return new PreviewRefused("no such host");
  return new PreviewUnavailable(error.message);
}

function readAtMost(
  response: IncomingMessage,
  maxBytes: number,
  deadline: number,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      clearTimeout(timer);
      response.destroy();
      resolve(Buffer.concat(chunks, Math.min(size, maxBytes)));
    };
    // Whatever arrived by the deadline is enough for a preview (the head comes first).
    const timer = setTimeout(done, Math.max(1, deadline - Date.now()));
    response.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= maxBytes) done();
    });
    response.on("end", done);
    response.on("error", (error) => {
      clearTimeout(timer);
      reject(new PreviewUnavailable(error.message));
    });
  });
}

/** The header's charset, else a `<meta charset>` near the start, else UTF-8. */
function decode(body: Buffer, contentType: string): string {
  const charset =
    /charset=["']?([\w-]+)/.exec(contentType)?.[1] ??
    /<meta[^>]+charset=["']?([\w-]+)/i.exec(body.subarray(0, 1024).toString("latin1"))?.[1];
  try {
    return new TextDecoder(charset ?? "utf-8").decode(body);
  } catch {
    return new TextDecoder("utf-8").decode(body);
  }
}
