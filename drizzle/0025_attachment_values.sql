-- An attachment row says what Parley decided about its file: a type from the allowlist
-- (server/media/file-types.ts, which the signed URL's token carries to the browser), the name
-- sanitizeFileName made, and real dimensions. Rows from before are checked where they all pass.
ALTER TABLE public.message_attachments DROP CONSTRAINT IF EXISTS message_attachments_mime_type_known;
--> statement-breakpoint
ALTER TABLE public.message_attachments ADD CONSTRAINT message_attachments_mime_type_known CHECK (
  "mimeType" IN (
    'image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/heic', 'image/heif',
    'application/pdf',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    'application/vnd.oasis.opendocument.text', 'application/vnd.oasis.opendocument.spreadsheet',
    'application/vnd.oasis.opendocument.presentation',
    'application/msword', 'application/vnd.ms-excel', 'application/vnd.ms-powerpoint',
    'text/plain', 'text/csv', 'application/zip',
    'audio/mpeg', 'audio/mp4', 'audio/ogg', 'audio/wav', 'audio/webm',
    'video/mp4', 'video/webm', 'video/quicktime'
  )
) NOT VALID;
--> statement-breakpoint
ALTER TABLE public.message_attachments DROP CONSTRAINT IF EXISTS message_attachments_file_name;
--> statement-breakpoint
ALTER TABLE public.message_attachments ADD CONSTRAINT message_attachments_file_name CHECK (
  char_length("fileName") BETWEEN 1 AND 255
  AND "fileName" !~ '[\x01-\x1f\x7f/\\<>:"|?*]'
  AND "fileName" !~ '^\.'
) NOT VALID;
--> statement-breakpoint
ALTER TABLE public.message_attachments DROP CONSTRAINT IF EXISTS message_attachments_dimensions;
--> statement-breakpoint
ALTER TABLE public.message_attachments ADD CONSTRAINT message_attachments_dimensions CHECK (
  (width IS NULL OR width BETWEEN 1 AND 1000000)
  AND (height IS NULL OR height BETWEEN 1 AND 1000000)
) NOT VALID;
--> statement-breakpoint
DO $$
DECLARE
  c record;
BEGIN
  FOR c IN
    SELECT conrelid::regclass AS tbl, conname FROM pg_catalog.pg_constraint
    WHERE conname IN ('message_attachments_mime_type_known', 'message_attachments_file_name',
                      'message_attachments_dimensions')
      AND NOT convalidated
  LOOP
    BEGIN
      EXECUTE format('ALTER TABLE %s VALIDATE CONSTRAINT %I', c.tbl, c.conname);
    EXCEPTION WHEN check_violation THEN
      RAISE NOTICE 'left unvalidated: % on % (older rows break it)', c.conname, c.tbl;
    END;
  END LOOP;
END
$$;
