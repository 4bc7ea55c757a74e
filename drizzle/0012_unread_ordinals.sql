ALTER TABLE "chat_members" ADD COLUMN "lastReadOrdinal" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "chats" ADD COLUMN "lastOrdinal" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "ordinal" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "idx_messages_deleted" ON "messages" USING btree ("chatId","seq") WHERE "messages"."deletedAt" is not null;--> statement-breakpoint
-- Drizzle names every column in an INSERT (DEFAULT for those not given), so request roles need
-- the column grants; the triggers below overwrite whatever is sent, as they do for seq.
GRANT INSERT (ordinal) ON public.messages TO authenticated;
--> statement-breakpoint
GRANT INSERT ("lastReadOrdinal") ON public.chat_members TO authenticated;
--> statement-breakpoint
-- Writer: the next gap-free sequence number, and the next ordinal for messages that count
-- towards unread (all but system messages). Updating the chat row locks it, so concurrent
-- sends to one chat take numbers one after another; a rolled-back send gives them back.
CREATE OR REPLACE FUNCTION public.messages_assign_seq()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  UPDATE public.chats
  SET "lastSeq" = "lastSeq" + 1,
      "lastOrdinal" = "lastOrdinal" + CASE WHEN NEW.type = 'system' THEN 0 ELSE 1 END,
      "lastMessageAt" = greatest("lastMessageAt", NEW."createdAt")
  WHERE id = NEW."chatId"
  RETURNING "lastSeq", "lastOrdinal" INTO NEW.seq, NEW.ordinal;
  IF NEW.seq IS NULL THEN
    RAISE EXCEPTION 'Chat not found' USING ERRCODE = 'P0002';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
-- Existing messages: ordinals by seq within each chat. The columns are new, so no request
-- role can have written them; the chats' updatedAt keeps meaning "changed by someone".
UPDATE public.messages m SET ordinal = o.ordinal
FROM (
  SELECT id, count(*) FILTER (WHERE type <> 'system') OVER (PARTITION BY "chatId" ORDER BY seq) AS ordinal
  FROM public.messages
) o
WHERE o.id = m.id AND o.ordinal <> 0;
--> statement-breakpoint
ALTER TABLE public.chats DISABLE TRIGGER update_chats_updated_at;
--> statement-breakpoint
UPDATE public.chats c SET "lastOrdinal" = n.ordinal
FROM (SELECT "chatId", max(ordinal) AS ordinal FROM public.messages GROUP BY "chatId") n
WHERE n."chatId" = c.id AND n.ordinal <> 0;
--> statement-breakpoint
ALTER TABLE public.chats ENABLE TRIGGER update_chats_updated_at;
--> statement-breakpoint
-- Writer: a member's read pointer carries the ordinal it points at, so an unread count reads
-- no message at all. Runs after the guards (named to sort last) on every path that moves
-- the pointer: marking read, sending (the sender reads their own message), joining.
CREATE OR REPLACE FUNCTION public.chat_members_read_ordinal()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  IF TG_OP = 'INSERT' OR NEW."lastReadSeq" IS DISTINCT FROM OLD."lastReadSeq" THEN
    NEW."lastReadOrdinal" := coalesce((
      SELECT m.ordinal FROM public.messages m
      WHERE m."chatId" = NEW."chatId" AND m.seq = NEW."lastReadSeq"
    ), 0);
  ELSE
    NEW."lastReadOrdinal" := OLD."lastReadOrdinal";
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
UPDATE public.chat_members cm SET "lastReadOrdinal" = m.ordinal
FROM public.messages m
WHERE m."chatId" = cm."chatId" AND m.seq = cm."lastReadSeq" AND m.ordinal <> 0;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER z_chat_members_read_ordinal BEFORE INSERT OR UPDATE ON public.chat_members
  FOR EACH ROW EXECUTE FUNCTION public.chat_members_read_ordinal();
