import "server-only";

import { createHash } from "node:crypto";
import data from "emojibase-data/en/data.json";
import messages from "emojibase-data/en/messages.json";
import { EMOJIBASE_VERSION, EMOJI_LOCALE } from "@/lib/emojibase";

/** The only files the emoji picker asks for, for the one locale Parley offers. */
const DATASETS: Record<string, unknown> = {
  [`${EMOJI_LOCALE}/data.json`]: data,
  [`${EMOJI_LOCALE}/messages.json`]: messages,
};

const CACHE_CONTROL = "public, max-age=31536000, immutable";

interface Served {
  body: string;
  etag: string;
}

const served = new Map<string, Served>();

function dataset(key: string): Served | null {
  const cached = served.get(key);
  if (cached) return cached;
  if (!Object.hasOwn(DATASETS, key)) return null;
  const body = JSON.stringify(DATASETS[key]);
  const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 32)}"`;
  const entry = { body, etag };
  served.set(key, entry);
  return entry;
}

function matches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(",")
    .map((tag) => tag.trim().replace(/^W\//, ""))
    .some((tag) => tag === etag || tag === "*");
}

/**
 * The Emojibase files the emoji picker loads, served from the installed `emojibase-data`
 * package. Public on purpose: static data that says nothing about anyone. The picker
 * revalidates its local copy with HEAD and compares ETags, so both are cheap.
 */
export function serveEmojibase(
  request: Request,
  params: { version: string; locale: string; file: string },
): Response {
  const entry =
    params.version === EMOJIBASE_VERSION ? dataset(`${params.locale}/${params.file}`) : null;
  if (!entry) {
    return new Response("Not found", {
      status: 404,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  const headers = { "Cache-Control": CACHE_CONTROL, ETag: entry.etag };
  if (matches(request.headers.get("if-none-match"), entry.etag)) {
    return new Response(null, { status: 304, headers });
  }
  return new Response(request.method === "HEAD" ? null : entry.body, {
    headers: { ...headers, "Content-Type": "application/json; charset=utf-8" },
  });
}
