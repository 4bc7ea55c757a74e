import "server-only";

import { Readable } from "node:stream";
import { StorageClient } from "@supabase/storage-js";
import {
  StorageError,
  type SignedUrlOptions,
  type StorageDriver,
  type StoredObject,
} from "./driver";
import { isSafeObjectPath } from "./paths";
import { signedObjectUrl } from "./signed-url";

/**
 * Supabase Storage through supabase-js with the service role key (uploads are checked by
 * Parley before they get here). Signed URLs are minted locally with the project JWT secret,
 * exactly as Storage signs them, so a page of messages costs no round trip.
 */
export class SupabaseStorageDriver implements StorageDriver {
  // storage-js alone: the full supabase-js client would also build a realtime client, which
  // needs a WebSocket implementation the server has no use for.
  private readonly storage: StorageClient;

  constructor(
    private readonly url: string,
    serviceRoleKey: string,
    readonly bucket: string,
  ) {
    this.storage = new StorageClient(`${url}/storage/v1`, {
      apikey: serviceRoleKey,
      Authorization: `Bearer ${serviceRoleKey}`,
    });
  }

  private check(objectPath: string): void {
    if (!isSafeObjectPath(objectPath)) throw new StorageError(`Unsafe object path: ${objectPath}`);
  }

  async put(objectPath: string, body: Readable, options: { contentType: string }): Promise<void> {
    this.check(objectPath);
    const { error } = await this.storage
      .from(this.bucket)
      .upload(objectPath, Readable.toWeb(body) as ReadableStream<Uint8Array>, {
        contentType: options.contentType,
        upsert: false,
        cacheControl: "3600",
      });
    if (error) throw new StorageError(`Supabase upload failed: ${error.message}`);
  }

  async createSignedUrl(
    objectPath: string,
    expiresInSeconds: number,
    options: SignedUrlOptions = {},
  ): Promise<string> {
    this.check(objectPath);
    return signedObjectUrl(this.url, this.bucket, objectPath, expiresInSeconds, options);
  }

  async remove(paths: string[]): Promise<void> {
    if (!paths.length) return;
    paths.forEach((p) => this.check(p));
    const { error } = await this.storage.from(this.bucket).remove(paths);
    if (error) throw new StorageError(`Supabase remove failed: ${error.message}`);
  }

  async stat(objectPath: string): Promise<StoredObject | null> {
    this.check(objectPath);
    const { data, error } = await this.storage.from(this.bucket).info(objectPath);
    if (error) {
      if (isNotFound(error)) return null;
      throw new StorageError(`Supabase stat failed: ${error.message}`);
    }
    return { size: Number(data.size ?? 0) };
  }

  async get(objectPath: string): Promise<Readable | null> {
    this.check(objectPath);
    const { data, error } = await this.storage.from(this.bucket).download(objectPath);
    if (error) {
      if (isNotFound(error)) return null;
      throw new StorageError(`Supabase download failed: ${error.message}`);
    }
    return Readable.from(Buffer.from(await data.arrayBuffer()));
  }

  /**
   * Creates the private bucket with the size limit and type allowlist, or brings an
   * existing one to them (storage:setup). Says which it did.
   */
  async ensureBucket(options: {
    fileSizeLimit: number;
    allowedMimeTypes: readonly string[];
  }): Promise<"created" | "updated"> {
    const settings = {
      public: false,
      fileSizeLimit: options.fileSizeLimit,
      allowedMimeTypes: [...options.allowedMimeTypes],
    };
    const found = await this.storage.getBucket(this.bucket);
    // Only a missing bucket is created: a refused key must not read as "no bucket yet".
    if (found.error && !isNotFound(found.error)) {
      throw new StorageError(`Supabase bucket setup failed: ${found.error.message}`);
    }
    const { error } = found.data
      ? await this.storage.updateBucket(this.bucket, settings)
      : await this.storage.createBucket(this.bucket, settings);
    if (error) throw new StorageError(`Supabase bucket setup failed: ${error.message}`);
    return found.data ? "updated" : "created";
  }
}

/**
 * Storage answers a missing object or bucket with HTTP 400 and the real status in the body
 * (`{"statusCode":"404","error":"not_found"|"Bucket not found"}`); storage-js puts that in
 * `statusCode`. A later Storage may send a plain 404, which lands in `status`.
 */
function isNotFound(error: { status?: number; statusCode?: string | number }): boolean {
  return String(error.statusCode) === "404" || error.status === 404;
}
