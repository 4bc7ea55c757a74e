/* global process, Response */
import { readFileSync } from "node:fs";

// A bare route: the JSON Parley answered for the same request, read once and then served from
// memory, so what is left is Next's own cost of routing a request to a handler.
let body;

export const dynamic = "force-dynamic";

export function GET() {
  // eslint-disable-next-line no-restricted-properties
  body ??= readFileSync(process.env.REFERENCE_BODY_FILE, "utf8");
  return new Response(body, { headers: { "content-type": "application/json" } });
}
