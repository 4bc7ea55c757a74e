-- Link previews: the title, description and site name of the first page a message links to,
-- fetched by the server off the send path. A preview is written only by the server (the
-- owner connection) and read by the chat's members; the queue is bookkeeping no request
-- role can touch. A sender queues a preview only for their own live message.
CREATE TABLE IF NOT EXISTS public.message_link_previews (
  "messageId" uuid PRIMARY KEY REFERENCES public.messages(id) ON DELETE CASCADE,
  "chatId" uuid NOT NULL REFERENCES public.chats(id) ON DELETE CASCADE,
  url text NOT NULL,
  title text NOT NULL,
  description text,
  "siteName" text,
  "fetchedAt" timestamptz DEFAULT now() NOT NULL,
  CONSTRAINT message_link_previews_url CHECK (char_length(url) <= 2048 AND url ~ '^https?://'),
  CONSTRAINT message_link_previews_title CHECK (char_length(title) BETWEEN 1 AND 300),
  CONSTRAINT message_link_previews_description CHECK (char_length(description) <= 1000),
  CONSTRAINT message_link_previews_site_name CHECK (char_length("siteName") <= 200)
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_message_link_previews_chat_id ON public.message_link_previews ("chatId");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS public.link_preview_jobs (
  "messageId" uuid PRIMARY KEY REFERENCES public.messages(id) ON DELETE CASCADE,
  url text NOT NULL,
  attempts integer DEFAULT 0 NOT NULL,
  "nextAttemptAt" timestamptz DEFAULT now() NOT NULL,
  "createdAt" timestamptz DEFAULT now() NOT NULL,
  CONSTRAINT link_preview_jobs_url CHECK (char_length(url) <= 2048 AND url ~ '^https?://')
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_link_preview_jobs_next_attempt_at ON public.link_preview_jobs ("nextAttemptAt");
--> statement-breakpoint
ALTER TABLE public.message_link_previews ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE public.link_preview_jobs ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
REVOKE ALL ON public.message_link_previews, public.link_preview_jobs FROM PUBLIC, anon, authenticated;
--> statement-breakpoint
GRANT SELECT ON public.message_link_previews TO authenticated;
--> statement-breakpoint
CREATE POLICY message_link_previews_select_member ON public.message_link_previews FOR SELECT TO authenticated
  USING ("chatId" IN (SELECT public.my_chat_ids()));
--> statement-breakpoint

-- The caller's own live message gets its preview (again): any earlier one goes, and the
-- link is queued, or nothing is when it no longer links anywhere.
CREATE OR REPLACE FUNCTION public.queue_link_preview(p_message_id uuid, p_url text)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  target record;
BEGIN
  SELECT m."senderId", m."deletedAt", m.type INTO target FROM public.messages m WHERE m.id = p_message_id;
  IF NOT FOUND OR target."senderId" IS DISTINCT FROM public.get_auth_user_id()
     OR target.type = 'system' OR target."deletedAt" IS NOT NULL THEN
    RAISE EXCEPTION 'Message not found' USING ERRCODE = 'P0002';
  END IF;
  DELETE FROM public.message_link_previews p WHERE p."messageId" = p_message_id;
  IF p_url IS NULL THEN
    DELETE FROM public.link_preview_jobs j WHERE j."messageId" = p_message_id;
    RETURN;
  END IF;
  INSERT INTO public.link_preview_jobs ("messageId", url) VALUES (p_message_id, p_url)
  ON CONFLICT ("messageId") DO UPDATE
    SET url = EXCLUDED.url, attempts = 0, "nextAttemptAt" = now();
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.queue_link_preview(uuid, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.queue_link_preview(uuid, text) TO authenticated;
--> statement-breakpoint

-- A deleted message keeps no preview and waits for none.
CREATE OR REPLACE FUNCTION public.messages_forget_link_preview()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  DELETE FROM public.message_link_previews p WHERE p."messageId" = NEW.id;
  DELETE FROM public.link_preview_jobs j WHERE j."messageId" = NEW.id;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER messages_forget_link_preview AFTER UPDATE OF "deletedAt" ON public.messages
  FOR EACH ROW WHEN (OLD."deletedAt" IS NULL AND NEW."deletedAt" IS NOT NULL)
  EXECUTE FUNCTION public.messages_forget_link_preview();
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.messages_forget_link_preview() FROM PUBLIC;
