-- A chat's picture may only be one Parley stored for that chat; anything else (an outside URL)
-- is dropped, the chat shows its initials.
UPDATE "chats" SET "avatarPath" = NULL
WHERE "avatarPath" IS NOT NULL
  AND "avatarPath" !~ ('^/api/chats/' || "id"::text || '/avatar/[0-9a-f]{16,64}\.webp$');--> statement-breakpoint
ALTER TABLE "chats" ADD CONSTRAINT "chats_avatar_path_own" CHECK ("chats"."avatarPath" is null or "chats"."avatarPath" ~ ('^/api/chats/' || "chats"."id"::text || '/avatar/[0-9a-f]{16,64}\.webp$'));