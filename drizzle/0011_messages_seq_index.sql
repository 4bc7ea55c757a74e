DROP INDEX "idx_messages_chat_id_seq";--> statement-breakpoint
CREATE UNIQUE INDEX "idx_messages_chat_id_seq" ON "messages" USING btree ("chatId","seq");