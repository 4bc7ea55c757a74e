-- Attachment storage: a deletion outbox so files go when their rows go, the rule that a
-- soft-deleted message loses its files, and what the signed-URL route may serve.

-- Files to delete. Filled in the same transaction that removes the rows; a job deletes the
-- files, then these rows (at least once: no orphaned files, no dangling rows).
CREATE TABLE IF NOT EXISTS public.storage_deletions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  bucket text NOT NULL,
  path text NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  "createdAt" timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_storage_deletions_created_at ON public.storage_deletions ("createdAt");
--> statement-breakpoint
ALTER TABLE public.storage_deletions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
REVOKE ALL ON public.storage_deletions FROM PUBLIC, anon, authenticated;
--> statement-breakpoint
-- Writer: whenever an attachment row goes (sender's unsent upload, soft delete, group
-- deleted, purge of unbound uploads), its files are queued for deletion.
CREATE OR REPLACE FUNCTION public.message_attachments_queue_files()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  INSERT INTO public.storage_deletions (bucket, path) VALUES ('message-attachments', OLD."storagePath");
  IF OLD."thumbnailPath" IS NOT NULL THEN
    INSERT INTO public.storage_deletions (bucket, path) VALUES ('message-attachments', OLD."thumbnailPath");
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.message_attachments_queue_files() FROM PUBLIC;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER message_attachments_queue_files AFTER DELETE ON public.message_attachments
  FOR EACH ROW EXECUTE FUNCTION public.message_attachments_queue_files();
--> statement-breakpoint
-- Writer: a soft-deleted message keeps its row (and its text in the moderation history) but
-- not its files.
CREATE OR REPLACE FUNCTION public.messages_drop_attachments()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  IF NEW."deletedAt" IS NOT NULL AND OLD."deletedAt" IS NULL THEN
    DELETE FROM public.message_attachments a WHERE a."messageId" = NEW.id;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.messages_drop_attachments() FROM PUBLIC;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER messages_drop_attachments AFTER UPDATE OF "deletedAt" ON public.messages
  FOR EACH ROW EXECUTE FUNCTION public.messages_drop_attachments();
--> statement-breakpoint
-- What the signed-URL route may serve: an attachment or thumbnail whose row still exists.
-- The token already proves the caller was given the URL; this makes a deleted file stop
-- being served at once rather than when the cleanup job gets to it.
CREATE OR REPLACE FUNCTION public.storage_object_info(object_path text)
RETURNS TABLE ("mimeType" text, "fileName" text)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT CASE WHEN a."storagePath" = object_path THEN a."mimeType" ELSE 'image/webp' END,
         a."fileName"
  FROM public.message_attachments a
  WHERE a."storagePath" = object_path OR a."thumbnailPath" = object_path
  LIMIT 1
$$;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_message_attachments_thumbnail_path
  ON public.message_attachments ("thumbnailPath");
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.storage_object_info(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.storage_object_info(text) TO anon, authenticated;
