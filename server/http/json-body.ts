import "server-only";

import { env } from "@/server/env";
import { AppError } from "@/server/errors";
import { nestsDeeperThan } from "@/server/limits/input-depth";

const size = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${Math.floor(bytes / 1024 / 1024)} MB` : `${Math.floor(bytes / 1024)} KB`;

/**
 * A request's JSON body, read with a running count (a chunked body has no length to trust up
 * front): PAYLOAD_TOO_LARGE past `maxBytes`, declared or read; BAD_REQUEST when it is not
 * JSON, or nests deeper than `INPUT_MAX_DEPTH` (checked before any validator recurses into it).
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const tooLarge = () =>
    new AppError("PAYLOAD_TOO_LARGE", `The body is larger than ${size(maxBytes)}`);
  if (Number(request.headers.get("content-length") ?? "0") > maxBytes) throw tooLarge();
  const reader = request.body?.getReader();
  const chunks: Uint8Array[] = [];
  let read = 0;
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    read += value.byteLength;
    if (read > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
  } catch {
    throw new AppError("BAD_REQUEST", "The body is not valid JSON");
  }
  if (nestsDeeperThan(body, env.INPUT_MAX_DEPTH)) {
    throw new AppError(
      "BAD_REQUEST",
      `The body may nest at most ${env.INPUT_MAX_DEPTH} arrays and objects deep`,
    );
  }
  return body;
}
