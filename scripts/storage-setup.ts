import path from "node:path";
import { env } from "@/server/env";
import { ALLOWED_MIME_TYPES } from "@/server/media/file-types";
import { getStorage } from "@/server/storage";
import { setUpStorage } from "@/server/storage/setup";

/** `npm run storage:setup`: the Supabase Storage bucket, in Supabase mode (server/storage/setup.ts). */
const line = await setUpStorage(
  getStorage(),
  { fileSizeLimit: env.ATTACHMENT_MAX_BYTES, allowedMimeTypes: ALLOWED_MIME_TYPES },
  path.join(env.dataDir, "storage"),
);
process.stdout.write(`${line}\n`);
