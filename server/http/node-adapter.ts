import "server-only";

import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fromNodeHeaders } from "better-auth/node";

/**
 * The request's body as a Web stream that touches the request only when first read. A body
 * nobody reads (a request refused before its body matters) is then discarded by Node when the
 * response ends, and the connection stays usable; a stream attached up front would have read
 * part of it and left the rest stalled in the socket, hanging the next request on it.
 */
function lazyBody(req: IncomingMessage): ReadableStream<Uint8Array> {
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        reader ??= (Readable.toWeb(req) as ReadableStream<Uint8Array>).getReader();
        const next = await reader.read();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      async cancel(reason) {
        if (reader) await reader.cancel(reason);
        else req.destroy();
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * A Node request as a Web `Request`. The body is streamed, not read: each handler reads and
 * limits it itself (JSON up to its limit, multipart straight to disk).
 */
export function toWebRequest(req: IncomingMessage): Request {
  const method = req.method ?? "GET";
  return new Request(new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`), {
    method,
    headers: fromNodeHeaders(req.headers),
    ...(method === "GET" || method === "HEAD" ? {} : { body: lazyBody(req), duplex: "half" }),
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
  // A body read in part (refused at a size limit) cannot be skipped to reach the next request
  // on this connection: the connection ends with this response instead.
  if (!req.complete && req.readableFlowing !== null) res.setHeader("connection", "close");
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
