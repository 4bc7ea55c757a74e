import "server-only";

import path from "node:path";
import { env } from "@/server/env";
import { ATTACHMENT_BUCKET, type StorageDriver } from "./driver";
import { LocalStorageDriver } from "./local";
import { SupabaseStorageDriver } from "./supabase";

let driver: StorageDriver | undefined;

/** The configured driver: Supabase Storage in Supabase mode, else files in $DATA_DIR/storage. */
export function getStorage(): StorageDriver {
  driver ??= env.supabase
    ? new SupabaseStorageDriver(env.supabase.url, env.supabase.serviceRoleKey, ATTACHMENT_BUCKET)
    : new LocalStorageDriver(path.join(env.dataDir, "storage"), ATTACHMENT_BUCKET);
  return driver;
}

/** Installs a driver as the process-wide one (tests). */
export function setStorage(installed: StorageDriver): void {
  driver = installed;
}
