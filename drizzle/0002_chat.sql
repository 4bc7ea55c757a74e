CREATE TABLE "chat_members" (
	"chatId" uuid NOT NULL,
	"userId" uuid NOT NULL,
	"role" text DEFAULT 'member' NOT NULL,
	"joinedAt" timestamp with time zone DEFAULT now() NOT NULL,
	"lastReadSeq" bigint DEFAULT 0 NOT NULL,
	"lastReadAt" timestamp with time zone,
	"lastDeliveredSeq" bigint DEFAULT 0 NOT NULL,
	"mutedUntil" timestamp with time zone,
	"notificationLevel" text DEFAULT 'all' NOT NULL,
	"hiddenAt" timestamp with time zone,
	CONSTRAINT "chat_members_pkey" PRIMARY KEY("chatId","userId"),
	CONSTRAINT "chat_members_role_valid" CHECK ("chat_members"."role" in ('owner', 'admin', 'member')),
	CONSTRAINT "chat_members_notification_level_valid" CHECK ("chat_members"."notificationLevel" in ('all', 'mentions', 'none'))
);
--> statement-breakpoint
CREATE TABLE "chats" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"type" text NOT NULL,
	"name" text,
	"description" text,
	"avatarPath" text,
	"directKey" text,
	"createdBy" uuid,
	"lastSeq" bigint DEFAULT 0 NOT NULL,
	"lastMessageAt" timestamp with time zone,
	"createdAt" timestamp with time zone DEFAULT now() NOT NULL,
	"updatedAt" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "chats_directKey_unique" UNIQUE("directKey"),
	CONSTRAINT "chats_type_valid" CHECK ("chats"."type" in ('direct', 'group')),
	CONSTRAINT "chats_group_name" CHECK ("chats"."type" = 'direct' or ("chats"."name" is not null and char_length("chats"."name") between 1 and 100)),
	CONSTRAINT "chats_direct_key" CHECK (("chats"."type" = 'direct') = ("chats"."directKey" is not null)),
	CONSTRAINT "chats_description_length" CHECK (char_length("chats"."description") <= 1000)
);
--> statement-breakpoint
CREATE TABLE "message_attachments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"messageId" uuid,
	"chatId" uuid NOT NULL,
	"uploaderId" uuid,
	"fileName" text NOT NULL,
	"storagePath" text NOT NULL,
	"fileSize" bigint NOT NULL,
	"mimeType" text NOT NULL,
	"width" integer,
	"height" integer,
	"thumbnailPath" text,
	"createdAt" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "message_attachments_storagePath_unique" UNIQUE("storagePath"),
	CONSTRAINT "message_attachments_file_size" CHECK ("message_attachments"."fileSize" >= 0)
);
--> statement-breakpoint
CREATE TABLE "message_edits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"messageId" uuid NOT NULL,
	"chatId" uuid NOT NULL,
	"previousContent" text NOT NULL,
	"editedAt" timestamp with time zone DEFAULT now() NOT NULL,
	"editedBy" uuid
);
--> statement-breakpoint
CREATE TABLE "message_reactions" (
	"messageId" uuid NOT NULL,
	"userId" uuid NOT NULL,
	"emoji" text NOT NULL,
	"chatId" uuid NOT NULL,
	"createdAt" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "message_reactions_pkey" PRIMARY KEY("messageId","userId","emoji"),
	CONSTRAINT "message_reactions_emoji" CHECK (char_length("message_reactions"."emoji") between 1 and 32 and "message_reactions"."emoji" !~ '\s')
);
--> statement-breakpoint
CREATE TABLE "messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"chatId" uuid NOT NULL,
	"senderId" uuid,
	"seq" bigint NOT NULL,
	"type" text DEFAULT 'text' NOT NULL,
	"content" text DEFAULT '' NOT NULL,
	"replyToId" uuid,
	"metadata" jsonb,
	"editedAt" timestamp with time zone,
	"deletedAt" timestamp with time zone,
	"deletedBy" uuid,
	"createdAt" timestamp with time zone DEFAULT now() NOT NULL,
	"searchVector" "tsvector" GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, "messages"."content")) STORED,
	CONSTRAINT "messages_type_valid" CHECK ("messages"."type" in ('text', 'image', 'file', 'audio', 'video', 'system')),
	CONSTRAINT "messages_content_length" CHECK (char_length("messages"."content") <= 10000)
);
--> statement-breakpoint
ALTER TABLE "chat_members" ADD CONSTRAINT "chat_members_chatId_chats_id_fk" FOREIGN KEY ("chatId") REFERENCES "public"."chats"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_members" ADD CONSTRAINT "chat_members_userId_user_id_fk" FOREIGN KEY ("userId") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chats" ADD CONSTRAINT "chats_createdBy_user_id_fk" FOREIGN KEY ("createdBy") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_attachments" ADD CONSTRAINT "message_attachments_messageId_messages_id_fk" FOREIGN KEY ("messageId") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_attachments" ADD CONSTRAINT "message_attachments_chatId_chats_id_fk" FOREIGN KEY ("chatId") REFERENCES "public"."chats"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_attachments" ADD CONSTRAINT "message_attachments_uploaderId_user_id_fk" FOREIGN KEY ("uploaderId") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_edits" ADD CONSTRAINT "message_edits_messageId_messages_id_fk" FOREIGN KEY ("messageId") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_edits" ADD CONSTRAINT "message_edits_chatId_chats_id_fk" FOREIGN KEY ("chatId") REFERENCES "public"."chats"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_edits" ADD CONSTRAINT "message_edits_editedBy_user_id_fk" FOREIGN KEY ("editedBy") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_reactions" ADD CONSTRAINT "message_reactions_messageId_messages_id_fk" FOREIGN KEY ("messageId") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_reactions" ADD CONSTRAINT "message_reactions_userId_user_id_fk" FOREIGN KEY ("userId") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_reactions" ADD CONSTRAINT "message_reactions_chatId_chats_id_fk" FOREIGN KEY ("chatId") REFERENCES "public"."chats"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_chatId_chats_id_fk" FOREIGN KEY ("chatId") REFERENCES "public"."chats"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_senderId_user_id_fk" FOREIGN KEY ("senderId") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_replyToId_messages_id_fk" FOREIGN KEY ("replyToId") REFERENCES "public"."messages"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_deletedBy_user_id_fk" FOREIGN KEY ("deletedBy") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_chat_members_user_id" ON "chat_members" USING btree ("userId");--> statement-breakpoint
CREATE INDEX "idx_chats_last_message_at" ON "chats" USING btree ("lastMessageAt");--> statement-breakpoint
CREATE INDEX "idx_message_attachments_message_id" ON "message_attachments" USING btree ("messageId");--> statement-breakpoint
CREATE INDEX "idx_message_attachments_chat_id" ON "message_attachments" USING btree ("chatId");--> statement-breakpoint
CREATE INDEX "idx_message_attachments_uploader_id" ON "message_attachments" USING btree ("uploaderId");--> statement-breakpoint
CREATE INDEX "idx_message_edits_message_id" ON "message_edits" USING btree ("messageId");--> statement-breakpoint
CREATE INDEX "idx_message_edits_chat_id" ON "message_edits" USING btree ("chatId");--> statement-breakpoint
CREATE INDEX "idx_message_reactions_chat_id" ON "message_reactions" USING btree ("chatId");--> statement-breakpoint
CREATE INDEX "idx_message_reactions_user_id" ON "message_reactions" USING btree ("userId");--> statement-breakpoint
CREATE UNIQUE INDEX "idx_messages_chat_id_seq" ON "messages" USING btree ("chatId","seq" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_messages_sender_id" ON "messages" USING btree ("senderId");--> statement-breakpoint
CREATE INDEX "idx_messages_reply_to_id" ON "messages" USING btree ("replyToId");--> statement-breakpoint
CREATE INDEX "idx_messages_search" ON "messages" USING gin ("searchVector");