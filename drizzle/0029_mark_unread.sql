-- "Mark as unread": a member's own second pointer, the message their chat counts as unread
-- from again. The read pointer stays where it is (it is monotonic and drives read receipts:
-- others keep seeing the message as read); the unread count and the "new messages" line
-- start at the mark until the member reads the chat again, which clears it.
ALTER TABLE public.chat_members ADD COLUMN IF NOT EXISTS "unreadFromSeq" bigint;
--> statement-breakpoint
ALTER TABLE public.chat_members ADD COLUMN IF NOT EXISTS "unreadFromOrdinal" bigint;
--> statement-breakpoint
-- Drizzle names every column in an INSERT; the trigger below clears both on insert.
GRANT INSERT ("unreadFromSeq", "unreadFromOrdinal") ON public.chat_members TO authenticated;
--> statement-breakpoint
GRANT UPDATE ("unreadFromSeq") ON public.chat_members TO authenticated;
--> statement-breakpoint
-- Writer and guard: only the member sets their mark, on a message of the chat; the ordinal
-- the count uses (the unread-able messages before the mark) is derived, never written.
-- Runs as the caller (as the other guards do), so it knows whether a request role is
-- writing; the member reads the chat's messages under their own policies.
CREATE OR REPLACE FUNCTION public.chat_members_unread_mark()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
DECLARE
  target record;
BEGIN
  IF TG_OP = 'INSERT' THEN
    NEW."unreadFromSeq" := NULL;
    NEW."unreadFromOrdinal" := NULL;
    RETURN NEW;
  END IF;
  IF NEW."unreadFromSeq" IS NOT DISTINCT FROM OLD."unreadFromSeq" THEN
    NEW."unreadFromOrdinal" := OLD."unreadFromOrdinal";
    RETURN NEW;
  END IF;
  IF public.is_request_role() AND OLD."userId" IS DISTINCT FROM public.get_auth_user_id() THEN
    RAISE EXCEPTION 'Only the member changes their own settings' USING ERRCODE = '42501';
  END IF;
  IF NEW."unreadFromSeq" IS NULL THEN
    NEW."unreadFromOrdinal" := NULL;
    RETURN NEW;
  END IF;
  SELECT m.ordinal, m.type INTO target
  FROM public.messages m WHERE m."chatId" = NEW."chatId" AND m.seq = NEW."unreadFromSeq";
  IF NOT FOUND THEN
    RAISE EXCEPTION 'No message % in this chat', NEW."unreadFromSeq" USING ERRCODE = '22023';
  END IF;
  NEW."unreadFromOrdinal" := target.ordinal - CASE WHEN target.type = 'system' THEN 0 ELSE 1 END;
  RETURN NEW;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.chat_members_unread_mark() FROM PUBLIC;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER chat_members_unread_mark BEFORE INSERT OR UPDATE ON public.chat_members
  FOR EACH ROW EXECUTE FUNCTION public.chat_members_unread_mark();
