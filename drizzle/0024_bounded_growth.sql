-- How many requests an audit row stands for: REST requests without a valid key are written
-- as one row per endpoint, status, address and presented key id per minute, so a flood of
-- them cannot grow the table a row per request, and the counts stay exact.
ALTER TABLE public.api_audit_logs ADD COLUMN IF NOT EXISTS "requestCount" integer DEFAULT 1 NOT NULL;
--> statement-breakpoint
ALTER TABLE public.api_audit_logs DROP CONSTRAINT IF EXISTS api_audit_logs_request_count_positive;
--> statement-breakpoint
ALTER TABLE public.api_audit_logs ADD CONSTRAINT api_audit_logs_request_count_positive
  CHECK ("requestCount" >= 1);
--> statement-breakpoint
-- A message's edit history is bounded: at most 100 edits (its deletion always goes through).
CREATE OR REPLACE FUNCTION public.messages_record_history()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  IF NEW.content IS DISTINCT FROM OLD.content THEN
    IF NEW."deletedAt" IS NULL AND (
      SELECT count(*) FROM public.message_edits e WHERE e."messageId" = NEW.id
    ) >= 100 THEN
      RAISE EXCEPTION 'A message can be edited at most 100 times' USING ERRCODE = '54000';
    END IF;
    INSERT INTO public.message_edits ("messageId", "chatId", "previousContent", "editedAt", "editedBy")
    VALUES (NEW.id, NEW."chatId", OLD.content, now(), coalesce(NEW."deletedBy", public.get_auth_user_id()));
  END IF;
  RETURN NULL;
END
$$;
