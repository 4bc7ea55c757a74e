import "server-only";

import type { StorageDriver } from "./driver";
import { SupabaseStorageDriver } from "./supabase";

export interface BucketSettings {
  fileSizeLimit: number;
  allowedMimeTypes: readonly string[];
}

/**
 * `npm run storage:setup`'s work: in Supabase mode, creates (or updates) the private bucket
 * with the size limit and the type allowlist. The local driver needs nothing: it makes its
 * directories on first write. Returns the line the script prints.
 */
export async function setUpStorage(
  storage: StorageDriver,
  settings: BucketSettings,
  localRoot: string,
): Promise<string> {
  if (!(storage instanceof SupabaseStorageDriver)) {
    return `Local storage in ${localRoot}: nothing to set up.`;
  }
  const done = await storage.ensureBucket(settings);
  return `Supabase bucket ${storage.bucket} is ready (${done}).`;
}
