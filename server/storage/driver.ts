import "server-only";

import type { Readable } from "node:stream";

/** The private bucket for chat attachments (seed 000). */
export const ATTACHMENT_BUCKET = "message-attachments";

export interface StoredObject {
  size: number;
}

export interface SignedUrlOptions {
  /** Serve as a download with this file name. */
  download?: string;
  /**
   * What the object is, carried in the signed token: Parley's own storage route serves it
   * from there, without asking the database more than whether the object is still live.
   */
  contentType?: string;
  fileName?: string;
}

/** Where attachment bytes live: local files, or Supabase Storage. Paths are server-made. */
export interface StorageDriver {
  readonly bucket: string;
  /** Stores a stream at `path`; refuses to overwrite. */
  put(path: string, body: Readable, options: { contentType: string }): Promise<void>;
  /** A URL anyone holding it may GET until it expires. Signs locally: no network call. */
  createSignedUrl(
    path: string,
    expiresInSeconds: number,
    options?: SignedUrlOptions,
  ): Promise<string>;
  /** Removes objects; paths that do not exist are not an error. */
  remove(paths: string[]): Promise<void>;
  stat(path: string): Promise<StoredObject | null>;
  /** The object's bytes as a stream, or null when it does not exist. */
  get(path: string): Promise<Readable | null>;
}

export class StorageError extends Error {}
