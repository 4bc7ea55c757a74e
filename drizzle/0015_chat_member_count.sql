ALTER TABLE "chats" ADD COLUMN "memberCount" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Writer: a chat's member count, so the chat list reads one column instead of counting each
-- listed chat's members (under RLS, another pass over the caller's membership set). Once per
-- statement: a group created with a hundred members updates its chat once. A chat deleted
-- with its members (cascade) is already gone, and the update finds nothing.
CREATE OR REPLACE FUNCTION public.chat_members_count()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  -- Both triggers name their transition table `changed`: the rows added, or the rows removed.
  UPDATE public.chats c
  SET "memberCount" = c."memberCount" + CASE TG_OP WHEN 'INSERT' THEN n.k ELSE -n.k END
  FROM (SELECT "chatId", count(*)::integer AS k FROM changed GROUP BY "chatId") n
  WHERE c.id = n."chatId";
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER chat_members_count_insert AFTER INSERT ON public.chat_members
  REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION public.chat_members_count();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER chat_members_count_delete AFTER DELETE ON public.chat_members
  REFERENCING OLD TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION public.chat_members_count();
--> statement-breakpoint
-- Existing chats. The column is new, so no request role can have written it; the chats'
-- updatedAt keeps meaning "changed by someone".
ALTER TABLE public.chats DISABLE TRIGGER update_chats_updated_at;
--> statement-breakpoint
UPDATE public.chats c SET "memberCount" = n.k
FROM (SELECT "chatId", count(*)::integer AS k FROM public.chat_members GROUP BY "chatId") n
WHERE n."chatId" = c.id;
--> statement-breakpoint
ALTER TABLE public.chats ENABLE TRIGGER update_chats_updated_at;
