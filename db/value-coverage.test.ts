import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@/test/database";
import { queryRows } from "./rows";

/**
 * Every column a request role may write (a column grant to `authenticated` or `anon`), with
 * what the database lets it hold and the test that tries the values it must refuse. A column
 * granted later fails this test until its values are thought about and tested.
 */
const WRITABLE_COLUMNS: Record<string, { rule: string; provenIn: string }> = {
  "api_keys.createdAt": { rule: "stamped by set_created_timestamps", provenIn: "db/rls.test.ts" },
  "api_keys.expiresAt": {
    rule: "only moved closer by its owner (guard trigger)",
    provenIn: "db/value-rules.test.ts",
  },
  "api_keys.id": { rule: "any new uuid (primary key)", provenIn: "db/rls.test.ts" },
  "api_keys.key": {
    rule: "a hash; find_api_key answers only for the right secret",
    provenIn: "db/value-rules.test.ts",
  },
  "api_keys.lastUsed": {
    rule: "own row only; stamped by touch_api_key",
    provenIn: "db/rls.test.ts",
  },
  "api_keys.organizationId": {
    rule: "the request's workspace, whatever the insert names (trigger); never changes",
    provenIn: "db/workspace-tenancy.test.ts",
  },
  "api_keys.name": { rule: "1 to 100 characters", provenIn: "db/value-rules.test.ts" },
  "api_keys.prefix": { rule: "own row only (unique)", provenIn: "db/value-rules.test.ts" },
  "api_keys.rateLimit": { rule: "1 to 100,000 a minute", provenIn: "db/value-rules.test.ts" },
  "api_keys.revoked": { rule: "one-way (guard trigger)", provenIn: "db/value-rules.test.ts" },
  "api_keys.revokedAt": {
    rule: "stamped with the revocation, never cleared",
    provenIn: "db/value-rules.test.ts",
  },
  "api_keys.scopes": { rule: "known scopes, at least one", provenIn: "db/value-rules.test.ts" },
  "api_keys.updatedAt": { rule: "stamped by update_updated_at_column", provenIn: "db/rls.test.ts" },
  "api_keys.userId": { rule: "the caller (policy)", provenIn: "db/value-rules.test.ts" },
  "chat_members.chatId": {
    rule: "a group the caller administers (policy)",
    provenIn: "db/chat-rls.test.ts",
  },
  "chat_members.hiddenAt": {
    rule: "own row only; reset on insert",
    provenIn: "db/chat-rls.test.ts",
  },
  "chat_members.joinedAt": { rule: "reset to now() on insert", provenIn: "db/chat-rls.test.ts" },
  "chat_members.lastDeliveredSeq": {
    rule: "own row, forward only, never past lastSeq",
    provenIn: "db/chat-rls.test.ts",
  },
  "chat_members.lastReadAt": {
    rule: "own row only; reset on insert",
    provenIn: "db/chat-rls.test.ts",
  },
  "chat_members.lastReadOrdinal": {
    rule: "derived from lastReadSeq by a trigger",
    provenIn: "db/chat-rls.test.ts",
  },
  "chat_members.lastReadSeq": {
    rule: "own row, forward only, never past lastSeq",
    provenIn: "db/chat-rls.test.ts",
  },
  "chat_members.mutedUntil": {
    rule: "own row only; reset on insert",
    provenIn: "db/chat-rls.test.ts",
  },
  "chat_members.notificationLevel": {
    rule: "all, mentions or none; own row only",
    provenIn: "db/chat-rls.test.ts",
  },
  "chat_members.role": {
    rule: "never owner, never one's own, never the owner's",
    provenIn: "db/chat-rls.test.ts",
  },
  "chat_members.userId": { rule: "an existing, active user", provenIn: "db/chat-rls.test.ts" },
  "chat_members.unreadFromOrdinal": {
    rule: "derived from unreadFromSeq by a trigger; cleared on insert",
    provenIn: "server/routers/mark-unread.test.ts",
  },
  "chat_members.unreadFromSeq": {
    rule: "own row only; a message of the chat; cleared on insert",
    provenIn: "server/routers/mark-unread.test.ts",
  },
  "chats.avatarPath": {
    rule: "only a picture stored for this chat",
    provenIn: "db/chat-rls.test.ts",
  },
  "chats.description": { rule: "up to 1,000 characters", provenIn: "db/chat-rls.test.ts" },
  "chats.name": {
    rule: "1 to 100 characters for a group; none for a direct chat",
    provenIn: "db/chat-rls.test.ts",
  },
  "chats.visibility": {
    rule: "private or public; public only for a group; its owner and admins (policy)",
    provenIn: "server/routers/rooms.test.ts",
  },
  "message_attachments.chatId": {
    rule: "a chat of the caller's (policy)",
    provenIn: "db/value-rules.test.ts",
  },
  "message_attachments.createdAt": {
    rule: "stamped by set_created_timestamps",
    provenIn: "db/chat-rls.test.ts",
  },
  "message_attachments.fileName": {
    rule: "1 to 255 characters as sanitizeFileName makes them",
    provenIn: "db/value-rules.test.ts",
  },
  "message_attachments.fileSize": { rule: "not negative", provenIn: "db/chat-rls.test.ts" },
  "message_attachments.height": {
    rule: "none, or 1 to 1,000,000",
    provenIn: "db/value-rules.test.ts",
  },
  "message_attachments.id": { rule: "any new uuid (primary key)", provenIn: "db/chat-rls.test.ts" },
  "message_attachments.messageId": {
    rule: "unsent on insert; once, to the uploader's own live message in the chat",
    provenIn: "db/chat-rls.test.ts",
  },
  "message_attachments.mimeType": {
    rule: "a type of the allowlist",
    provenIn: "db/value-rules.test.ts",
  },
  "message_attachments.storagePath": {
    rule: "under its own chat and uploader, unique",
    provenIn: "db/value-rules.test.ts",
  },
  "message_attachments.thumbnailPath": {
    rule: "none, or the file's own thumbnail, unique",
    provenIn: "db/value-rules.test.ts",
  },
  "message_attachments.uploaderId": {
    rule: "the caller (policy)",
    provenIn: "db/chat-rls.test.ts",
  },
  "message_attachments.width": {
    rule: "none, or 1 to 1,000,000",
    provenIn: "db/value-rules.test.ts",
  },
  "message_pins.messageId": {
    rule: "a live message of the caller's chats, not an event line; at most 100 pins a chat",
    provenIn: "db/pins-rls.test.ts",
  },
  "message_reactions.chatId": {
    rule: "copied from the message by a trigger",
    provenIn: "db/chat-rls.test.ts",
  },
  "message_reactions.createdAt": {
    rule: "stamped by set_created_timestamps",
    provenIn: "db/chat-rls.test.ts",
  },
  "message_reactions.emoji": {
    rule: "1 to 32 characters without spaces",
    provenIn: "db/chat-rls.test.ts",
  },
  "message_reactions.messageId": {
    rule: "a live message of the caller's chats",
    provenIn: "db/chat-rls.test.ts",
  },
  "message_reactions.userId": { rule: "the caller (policy)", provenIn: "db/chat-rls.test.ts" },
  "messages.chatId": { rule: "a chat of the caller's (policy)", provenIn: "db/chat-rls.test.ts" },
  "messages.content": {
    rule: "up to 10,000 characters; edits recorded, at most 100",
    provenIn: "db/value-rules.test.ts",
  },
  "messages.createdAt": { rule: "reset to now() on insert", provenIn: "db/chat-rls.test.ts" },
  "messages.deletedAt": {
    rule: "cleared on insert; set by the sender or a group admin, never on a system message",
    provenIn: "db/chat-rls.test.ts",
  },
  "messages.deletedBy": { rule: "cleared on insert; the deleter", provenIn: "db/chat-rls.test.ts" },
  "messages.editedAt": {
    rule: "cleared on insert; stamped on edit",
    provenIn: "db/chat-rls.test.ts",
  },
  "messages.id": { rule: "any new uuid (primary key)", provenIn: "db/chat-rls.test.ts" },
  "messages.metadata": {
    rule: "cleared on insert (system messages only)",
    provenIn: "db/chat-rls.test.ts",
  },
  "messages.ordinal": {
    rule: "assigned with seq by the insert trigger",
    provenIn: "db/prepared-statements.test.ts",
  },
  "messages.replyToId": { rule: "a message of the same chat", provenIn: "db/value-rules.test.ts" },
  "messages.senderId": { rule: "the caller (policy)", provenIn: "db/chat-rls.test.ts" },
  "messages.seq": {
    rule: "assigned by the insert trigger, gap-free",
    provenIn: "db/chat-rls.test.ts",
  },
  "messages.forwarded": {
    rule: "any boolean, on the sender's own new message",
    provenIn: "server/services/forward.test.ts",
  },
  "messages.threadRootId": {
    rule: "a live timeline message of the same chat, not a chat event",
    provenIn: "db/threads-rls.test.ts",
  },
  "messages.type": {
    rule: "text, image, file, audio or video; never system",
    provenIn: "db/chat-rls.test.ts",
  },
  "user.image": {
    rule: "an http(s) URL or the user's own avatar",
    provenIn: "db/value-rules.test.ts",
  },
  "user.name": { rule: "1 to 100 characters, not blank", provenIn: "db/value-rules.test.ts" },
  "user_metas.createdAt": { rule: "stamped by set_created_timestamps", provenIn: "db/rls.test.ts" },
  "user_metas.dataType": { rule: "matches the value's JSON type", provenIn: "db/rls.test.ts" },
  "user_metas.id": { rule: "any new uuid (primary key)", provenIn: "db/rls.test.ts" },
  "user_metas.isPublic": { rule: "own rows only", provenIn: "db/rls.test.ts" },
  "user_metas.isSearchable": { rule: "own rows only", provenIn: "db/rls.test.ts" },
  "user_metas.metaKey": { rule: "1 to 100 of [a-zA-Z0-9_.:-]", provenIn: "db/rls.test.ts" },
  "user_metas.metaValue": { rule: "up to 64 KB of JSON", provenIn: "db/rls.test.ts" },
  "user_metas.updatedAt": {
    rule: "stamped by update_updated_at_column",
    provenIn: "db/rls.test.ts",
  },
  "user_metas.userId": { rule: "the caller (policy)", provenIn: "db/rls.test.ts" },
  "saved_messages.messageId": {
    rule: "a live message of the caller's chats, not an event line; at most 5,000 a person",
    provenIn: "db/pins-rls.test.ts",
  },
  "saved_messages.userId": { rule: "the caller (policy)", provenIn: "db/pins-rls.test.ts" },
  "thread_members.following": {
    rule: "own row only (policy)",
    provenIn: "db/threads-rls.test.ts",
  },
  "thread_members.lastReadSeq": {
    rule: "own row, forward only, never past the thread's last reply",
    provenIn: "db/threads-rls.test.ts",
  },
  "thread_members.rootId": {
    rule: "a timeline message of one of the caller's chats; never moved",
    provenIn: "db/threads-rls.test.ts",
  },
  "thread_members.userId": { rule: "the caller (policy)", provenIn: "db/threads-rls.test.ts" },
  "user_presence.shareLocalTime": {
    rule: "own row only; off drops the time zone",
    provenIn: "server/routers/presence.test.ts",
  },
  "user_presence.showLastSeen": {
    rule: "own row only (policy)",
    provenIn: "server/routers/presence.test.ts",
  },
  "user_presence.timeZone": {
    rule: "a zone Postgres knows, kept only while shared",
    provenIn: "server/routers/presence.test.ts",
  },
  "user_presence.updatedAt": {
    rule: "stamped by user_presence_guard",
    provenIn: "server/routers/presence.test.ts",
  },
  "user_presence.userId": {
    rule: "the caller (policy)",
    provenIn: "server/routers/presence.test.ts",
  },
  "user_statuses.emoji": {
    rule: "none, or one emoji (1 to 32 characters, no spaces)",
    provenIn: "server/routers/status.test.ts",
  },
  "user_statuses.expiresAt": {
    rule: "none, or between now and a year ahead",
    provenIn: "server/routers/status.test.ts",
  },
  "user_statuses.text": {
    rule: "up to 100 characters on one line; not empty without an emoji",
    provenIn: "server/routers/status.test.ts",
  },
  "user_statuses.updatedAt": {
    rule: "stamped by the trigger",
    provenIn: "server/routers/status.test.ts",
  },
  "user_statuses.userId": {
    rule: "the caller (policy)",
    provenIn: "server/routers/status.test.ts",
  },
  "webhook_endpoints.description": {
    rule: "up to 200 characters",
    provenIn: "db/webhooks-rls.test.ts",
  },
  "webhook_endpoints.enabled": {
    rule: "turning on clears the failure count and reason (guard trigger)",
    provenIn: "db/webhooks-rls.test.ts",
  },
  "webhook_endpoints.eventTypes": {
    rule: "one to seven of the known event types",
    provenIn: "db/webhooks-rls.test.ts",
  },
  "webhook_endpoints.organizationId": {
    rule: "a workspace the caller owns or administers, the one the request runs in; never changes",
    provenIn: "db/webhooks-rls.test.ts",
  },
  "webhook_endpoints.secret": {
    rule: "whsec_ and 24 to 64 bytes in base64; never readable by a request",
    provenIn: "db/webhooks-rls.test.ts",
  },
  "webhook_endpoints.url": {
    rule: "https, or http to this machine only; at most 2048 characters",
    provenIn: "db/webhooks-rls.test.ts",
  },
  "webhook_endpoints.userId": {
    rule: "the caller (policy); never changes",
    provenIn: "db/webhooks-rls.test.ts",
  },
};

const database = useTestDatabase();

describe("the value rules cover every writable column", () => {
  it("lists exactly the columns request roles may write", async () => {
    const rows = await queryRows<{ name: string }>(
      database.handle.db,
      sql`select distinct table_name || '.' || column_name as name
          from information_schema.column_privileges
          where table_schema = 'public' and grantee in ('authenticated', 'anon')
            and privilege_type in ('INSERT', 'UPDATE')
          order by 1`,
    );
    expect(rows.map((r) => r.name)).toEqual(Object.keys(WRITABLE_COLUMNS).sort());
  });

  it("names, for each, a test that writes it", () => {
    const sources = new Map<string, string>();
    for (const [column, { provenIn }] of Object.entries(WRITABLE_COLUMNS)) {
      if (!sources.has(provenIn)) sources.set(provenIn, readFileSync(provenIn, "utf8"));
      const name = column.slice(column.indexOf(".") + 1);
      expect(sources.get(provenIn), `${column} in ${provenIn}`).toMatch(
        new RegExp(`\\b${name}\\b`),
      );
    }
  });
});
