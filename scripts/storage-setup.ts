import { env } from "@/server/env";
import { ALLOWED_MIME_TYPES } from "@/server/media/file-types";
import { getStorage } from "@/server/storage";
import { SupabaseStorageDriver } from "@/server/storage/supabase";

/**
 * `npm run storage:setup`: in Supabase mode, creates (or updates) the private
 * message-attachments bucket with the size limit and the type allowlist. The local driver
 * needs nothing: it makes its directories on first write.
 */
const storage = getStorage();
if (!(storage instanceof SupabaseStorageDriver)) {
  process.stdout.write(`Local storage in ${env.dataDir}/storage: nothing to set up.\n`);
} else {
  await storage.ensureBucket({
    fileSizeLimit: env.ATTACHMENT_MAX_BYTES,
    allowedMimeTypes: ALLOWED_MIME_TYPES,
  });
  process.stdout.write(`Supabase bucket ${storage.bucket} is ready.\n`);
}
