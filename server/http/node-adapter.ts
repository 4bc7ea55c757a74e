import "server-only";

import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fromNodeHeaders } from "better-auth/node";

/**
 * A Node request as a Web `Request`. The body is streamed, not read: each handler reads and
 * limits it itself (JSON up to its limit, multipart straight to disk).
 */
export function toWebRequest(req: IncomingMessage): Request {
  const method = req.method ?? "GET";
  return new Request(new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`), {
    method,
    headers: fromNodeHeaders(req.headers),
    ...(method === "GET" || method === "HEAD"
      ? {}
      : { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: "half" }),
  });
}

/**
 * Writes a Web `Response` to a Node response, streaming its body (file downloads, the CSV
 * export) with backpressure. Headers already set on `res` stay unless the response sets
 * them too; `Set-Cookie` keeps every value.
 */
export async function sendWebResponse(
  req: IncomingMessage,
  res: ServerResponse,
  response: Response,
): Promise<void> {
  res.statusCode = response.status;
  for (const [key, value] of response.headers) {
    if (key === "set-cookie") continue;
    res.setHeader(key, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length) res.setHeader("set-cookie", cookies);
  if (!response.body || req.method === "HEAD") {
    await response.body?.cancel();
    res.end();
    return;
  }
  // A body made from a string or buffer arrives as one chunk: sent with its length in one
  // write. Anything longer (a file, the CSV export) is streamed with backpressure.
  const reader = response.body.getReader();
  const first = await reader.read();
  if (first.done) {
    res.end();
    return;
  }
  const second = await reader.read();
  if (second.done) {
    res.setHeader("content-length", first.value.byteLength);
    res.end(first.value);
    return;
  }
  async function* rest() {
    yield first.value!;
    yield second.value!;
    for (;;) {
      const next = await reader.read();
      if (next.done) return;
      yield next.value;
    }
  }
  // A client that goes away, or a source that fails, mid-body: the pipeline destroys the
  // socket (the client sees a cut response, never a second status) and the source is released.
  await pipeline(Readable.from(rest()), res).catch(() => reader.cancel().catch(() => {}));
}
