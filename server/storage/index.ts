import path from "node:path";
import { env } from "@/server/env";
import { ATTACHMENT_BUCKET, type StorageDriver } from "./driver";
import { LocalStorageDriver } from "./local";
import { SupabaseStorageDriver } from "./supabase";

const DRIVER = Symbol.for("parley.storageDriver");
type Store = typeof globalThis & { [DRIVER]?: StorageDriver };
const store = globalThis as Store;

/** The configured driver: Supabase Storage in Supabase mode, else files in $DATA_DIR/storage. */
export function getStorage(): StorageDriver {
  store[DRIVER] ??= env.supabase
    ? new SupabaseStorageDriver(env.supabase.url, env.supabase.serviceRoleKey, ATTACHMENT_BUCKET)
    : new LocalStorageDriver(path.join(env.dataDir, "storage"), ATTACHMENT_BUCKET);
  return store[DRIVER];
}

/** Installs a driver as the process-wide one (tests). */
export function setStorage(driver: StorageDriver): void {
  store[DRIVER] = driver;
}
