import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { jwtVerify } from "jose";

/**
 * A STAND-IN for Supabase Storage: the REST calls supabase-js makes that Parley's driver uses
 * (realtime-protocol.md §4): upload, info, download, remove, the GET of a signed URL, and
 * the bucket calls of storage:setup (get, create, update). It answers as Storage's own
 * sources do (supabase/storage `src/internal/errors`, `src/http/error-handler.ts`): an error
 * is HTTP 400 with the real status in the body's `statusCode` (a missing object is
 * `{"statusCode":"404","error":"not_found"}`, a missing bucket `"Bucket not found"`), only a
 * 500 stays a 500. It checks the service key and signed-URL tokens, and enforces a bucket's
 * existence, size limit and type allowlist on upload. Objects live in memory. Tests use it to
 * hold the Supabase driver to the same contract as the local one; it is not Supabase.
 */
export interface StandInBucket {
  id: string;
  public: boolean;
  file_size_limit: number | null;
  allowed_mime_types: string[] | null;
}

export interface StorageStandIn {
  url: string;
  /** By `bucket/path`. */
  objects: Map<string, { bytes: Buffer; contentType: string }>;
  buckets: Map<string, StandInBucket>;
  /** Requests no route of the stand-in answered: a driver call Storage would not know. */
  unmatched: string[];
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Storage's error body, sent as HTTP 400 (500 stays 500) like its error handler does. */
function storageError(status: number, code: string, error: string, message: string) {
  return {
    http: status === 500 ? 500 : 400,
    json: { statusCode: String(status), code, error, message },
  };
}

const NO_SUCH_KEY = storageError(404, "NoSuchKey", "not_found", "Object not found");
const NO_SUCH_BUCKET = storageError(404, "NoSuchBucket", "Bucket not found", "Bucket not found");

export async function startStorageStandIn(options: {
  serviceKey: string;
  jwtKey: Uint8Array;
  /** Buckets that exist from the start (as after storage:setup). */
  buckets?: Partial<StandInBucket>[];
}): Promise<StorageStandIn> {
  const objects = new Map<string, { bytes: Buffer; contentType: string }>();
  const buckets = new Map<string, StandInBucket>();
  for (const b of options.buckets ?? []) {
    const id = b.id ?? "bucket";
    buckets.set(id, {
      id,
      public: b.public ?? false,
      file_size_limit: b.file_size_limit ?? null,
      allowed_mime_types: b.allowed_mime_types ?? null,
    });
  }
  const unmatched: string[] = [];

  const server = createServer((req, res) => {
    const send = (status: number, json: unknown) => {
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(json));
    };
    const fail = (e: { http: number; json: unknown }) => send(e.http, e.json);
    const url = new URL(req.url ?? "/", "http://localhost");
    const route = decodeURIComponent(url.pathname.replace(/^\/storage\/v1\//, ""));
    const method = req.method ?? "GET";

    void (async () => {
      const signed = /^object\/sign\/(.+)$/.exec(route);
      if (method === "GET" && signed) {
        try {
          const { payload } = await jwtVerify(url.searchParams.get("token") ?? "", options.jwtKey);
          if (payload.url !== signed[1]) {
            return fail(
              storageError(
                400,
                "InvalidSignature",
                "InvalidSignature",
                "The url do not match the signature",
              ),
            );
          }
        } catch {
          return fail(storageError(400, "InvalidJWT", "InvalidJWT", "Invalid JWT"));
        }
        const object = objects.get(signed[1]!);
        if (!object) return fail(NO_SUCH_KEY);
        res.writeHead(200, { "content-type": object.contentType }).end(object.bytes);
        return;
      }

      if (req.headers.authorization !== `Bearer ${options.serviceKey}`) {
        return fail(storageError(403, "AccessDenied", "Unauthorized", "Invalid Compact JWS"));
      }

      // Buckets: GET/PUT /bucket/:id, POST /bucket.
      const bucketRoute = /^bucket\/?([^/]*)$/.exec(route);
      if (bucketRoute) {
        const id = bucketRoute[1] ?? "";
        if (method === "GET" && id) {
          const bucket = buckets.get(id);
          if (!bucket) return fail(NO_SUCH_BUCKET);
          return send(200, { ...bucket, name: id, owner: "" });
        }
        if (method === "POST" && !id) {
          const input = JSON.parse((await body(req)).toString()) as Record<string, unknown>;
          const name = typeof input.id === "string" ? input.id : input.name;
          if (typeof name !== "string" || !name) {
            return fail(
              storageError(400, "InvalidRequest", "Bad Request", "body must have property 'name'"),
            );
          }
          if (buckets.has(name)) {
            return fail(
              storageError(409, "BucketAlreadyExists", "Duplicate", "The resource already exists"),
            );
          }
          buckets.set(name, settingsOf(name, input, undefined));
          return send(200, { name: input.name });
        }
        if (method === "PUT" && id) {
          const input = JSON.parse((await body(req)).toString()) as Record<string, unknown>;
          const bucket = buckets.get(id);
          if (!bucket) return fail(NO_SUCH_BUCKET);
          buckets.set(id, settingsOf(id, input, bucket));
          return send(200, { message: "Successfully updated" });
        }
      }

      const info = /^object\/info\/([^/]+)\/(.+)$/.exec(route);
      if (method === "GET" && info) {
        if (!buckets.has(info[1]!)) return fail(NO_SUCH_BUCKET);
        const object = objects.get(`${info[1]}/${info[2]}`);
        if (!object) return fail(NO_SUCH_KEY);
        return send(200, {
          name: info[2],
          bucket_id: info[1],
          size: object.bytes.length,
          content_type: object.contentType,
        });
      }

      const objectRoute = /^object\/([^/]+)(?:\/(.+))?$/.exec(route);
      if (
        objectRoute &&
        !["sign", "info", "upload", "list", "move", "copy"].includes(objectRoute[1]!)
      ) {
        const bucket = buckets.get(objectRoute[1]!);
        const key = objectRoute[2] ? `${objectRoute[1]}/${objectRoute[2]}` : undefined;
        if (!bucket) return fail(NO_SUCH_BUCKET);
        if (method === "GET" && key) {
          const object = objects.get(key);
          if (!object) return fail(NO_SUCH_KEY);
          res.writeHead(200, { "content-type": object.contentType }).end(object.bytes);
          return;
        }
        if (method === "POST" && key) {
          const contentType = String(req.headers["content-type"] ?? "application/octet-stream");
          if (bucket.allowed_mime_types && !bucket.allowed_mime_types.includes(contentType)) {
            return fail(
              storageError(
                415,
                "InvalidMimeType",
                "invalid_mime_type",
                `mime type ${contentType} is not supported`,
              ),
            );
          }
          const bytes = await body(req);
          if (bucket.file_size_limit !== null && bytes.length > bucket.file_size_limit) {
            return fail(
              storageError(
                413,
                "EntityTooLarge",
                "Payload too large",
                "The object exceeded the maximum allowed size",
              ),
            );
          }
          if (objects.has(key) && req.headers["x-upsert"] !== "true") {
            return fail(
              storageError(409, "KeyAlreadyExists", "Duplicate", "The resource already exists"),
            );
          }
          objects.set(key, { bytes, contentType });
          return send(200, { Id: crypto.randomUUID(), Key: key });
        }
        if (method === "DELETE" && !key) {
          const { prefixes } = JSON.parse((await body(req)).toString()) as { prefixes: string[] };
          const removed = prefixes.filter((p) => objects.delete(`${objectRoute[1]}/${p}`));
          return send(
            200,
            removed.map((name) => ({ name, bucket_id: objectRoute[1] })),
          );
        }
      }

      unmatched.push(`${method} ${url.pathname}`);
      send(404, { statusCode: "404", error: "Not Found", message: "Route not found" });
    })().catch((error: unknown) => {
      send(500, { statusCode: "500", error: "Internal", message: String(error) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    objects,
    buckets,
    unmatched,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A bucket's settings after a create or update body (only the fields given change). */
function settingsOf(
  id: string,
  input: Record<string, unknown>,
  current: StandInBucket | undefined,
): StandInBucket {
  const limit = input.file_size_limit;
  const types = input.allowed_mime_types;
  return {
    id,
    public: typeof input.public === "boolean" ? input.public : (current?.public ?? false),
    file_size_limit:
      limit === undefined
        ? (current?.file_size_limit ?? null)
        : limit === null
          ? null
          : Number(limit),
    allowed_mime_types:
      types === undefined
        ? (current?.allowed_mime_types ?? null)
        : Array.isArray(types)
          ? types.map(String)
          : null,
  };
}
