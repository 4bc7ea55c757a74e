import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { jwtVerify } from "jose";

/**
 * A STAND-IN for Supabase Storage: just the REST calls supabase-js makes that Parley uses
 * (realtime-protocol.md §4: upload, info, remove, and GET of a signed URL), answering with
 * Storage's shapes and checking the service key and signed-URL tokens as Storage does. It
 * stores objects in memory. Tests use it to hold the Supabase driver to the same contract as
 * the local one; it is not Supabase.
 */
export interface StorageStandIn {
  url: string;
  objects: Map<string, { bytes: Buffer; contentType: string }>;
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startStorageStandIn(options: {
  serviceKey: string;
  jwtKey: Uint8Array;
}): Promise<StorageStandIn> {
  const objects = new Map<string, { bytes: Buffer; contentType: string }>();
  const server = createServer((req, res) => {
    const send = (status: number, json: unknown) => {
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(json));
    };
    const notFound = () =>
      send(404, { statusCode: "404", error: "not_found", message: "Object not found" });
    const url = new URL(req.url ?? "/", "http://localhost");
    const key = decodeURIComponent(url.pathname.replace(/^\/storage\/v1\/object\//, ""));
    void (async () => {
      const signed = /^sign\/(.+)$/.exec(key);
      if (req.method === "GET" && signed) {
        try {
          const { payload } = await jwtVerify(url.searchParams.get("token") ?? "", options.jwtKey);
          if (payload.url !== signed[1])
            return send(400, {
              statusCode: "400",
              error: "InvalidSignature",
              message: "The url do not match the signature",
            });
        } catch {
          return send(400, { statusCode: "400", error: "InvalidJWT", message: "Invalid JWT" });
        }
        const object = objects.get(signed[1] as string);
        if (!object) return notFound();
        res.writeHead(200, { "content-type": object.contentType }).end(object.bytes);
        return;
      }
      if (req.headers.authorization !== `Bearer ${options.serviceKey}`) {
        return send(400, {
          statusCode: "403",
          error: "Unauthorized",
          message: "Invalid Compact JWS",
        });
      }
      const info = /^info\/(.+)$/.exec(key);
      if (req.method === "GET" && info) {
        const object = objects.get(info[1] as string);
        if (!object) return notFound();
        return send(200, {
          name: info[1],
          size: object.bytes.length,
          content_type: object.contentType,
        });
      }
      if (req.method === "POST") {
        const bytes = await body(req);
        if (objects.has(key) && req.headers["x-upsert"] !== "true") {
          return send(400, {
            statusCode: "409",
            error: "Duplicate",
            message: "The resource already exists",
          });
        }
        objects.set(key, { bytes, contentType: String(req.headers["content-type"]) });
        return send(200, { Id: crypto.randomUUID(), Key: key });
      }
      if (req.method === "DELETE") {
        const { prefixes } = JSON.parse((await body(req)).toString()) as { prefixes: string[] };
        const removed = prefixes.filter((p) => objects.delete(`${key}/${p}`));
        return send(
          200,
          removed.map((name) => ({ name })),
        );
      }
      notFound();
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    objects,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
