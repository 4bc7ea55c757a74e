import "server-only";

import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  StorageError,
  type SignedUrlOptions,
  type StorageDriver,
  type StoredObject,
} from "./driver";
import { isSafeObjectPath } from "./paths";
import { signedObjectUrl } from "./signed-url";

/**
 * Files under `<root>/<bucket>/<path>`, served by Parley's own
 * `/storage/v1/object/sign/<bucket>/<path>?token=…` route.
 */
export class LocalStorageDriver implements StorageDriver {
  constructor(
    private readonly root: string,
    readonly bucket: string,
    /** Prefix of signed URLs: empty for the app's own origin. */
    private readonly baseUrl = "",
  ) {}

  /** The file for an object path; throws on anything that could leave the bucket. */
  fileFor(objectPath: string): string {
    if (!isSafeObjectPath(objectPath)) throw new StorageError(`Unsafe object path: ${objectPath}`);
    const dir = path.join(this.root, this.bucket);
    const file = path.resolve(dir, ...objectPath.split("/"));
    if (!file.startsWith(dir + path.sep)) throw new StorageError("Object path leaves the bucket");
    return file;
  }

  async put(objectPath: string, body: Readable): Promise<void> {
    const file = this.fileFor(objectPath);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const partial = `${file}.${randomBytes(6).toString("hex")}.partial`;
    try {
      await pipeline(body, createWriteStream(partial, { flags: "wx", mode: 0o600 }));
      // link() fails if the target exists: an object is never overwritten.
      await fs.link(partial, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") {
        throw new StorageError(`Object already exists: ${objectPath}`);
      }
      throw error;
    } finally {
      await fs.rm(partial, { force: true });
    }
  }

  async createSignedUrl(
    objectPath: string,
    expiresInSeconds: number,
    options: SignedUrlOptions = {},
  ): Promise<string> {
    this.fileFor(objectPath);
    return signedObjectUrl(this.baseUrl, this.bucket, objectPath, expiresInSeconds, options);
  }

  async remove(paths: string[]): Promise<void> {
    await Promise.all(paths.map((p) => fs.rm(this.fileFor(p), { force: true })));
  }

  async get(objectPath: string): Promise<Readable | null> {
    const file = this.fileFor(objectPath);
    return (await this.stat(objectPath)) ? createReadStream(file) : null;
  }

  async stat(objectPath: string): Promise<StoredObject | null> {
    try {
      const info = await fs.stat(this.fileFor(objectPath));
      return info.isFile() ? { size: info.size } : null;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }
}
