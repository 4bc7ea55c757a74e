import { sql, type SQL } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  customType,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  unique,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";
import {
  CHAT_ROLES,
  CHAT_TYPES,
  CHAT_VISIBILITIES,
  MESSAGE_TYPES,
  NOTIFICATION_LEVELS,
} from "@/contracts/enums";
import { user } from "./auth";
import { organization } from "./workspaces";
import { createdAt, id, jsonb, timestamptz, updatedAt } from "./columns";

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

/** Sequence numbers fit in a JS number for any realistic chat (2^53). */
const seq = (name: string) => bigint(name, { mode: "number" });

export const chats = pgTable(
  "chats",
  {
    id: id(),
    type: text("type", { enum: CHAT_TYPES }).notNull(),
    name: text("name"),
    description: text("description"),
    avatarPath: text("avatarPath"),
    /** `public` groups are in the room directory, and anyone signed in may join them. */
    visibility: text("visibility", { enum: CHAT_VISIBILITIES }).notNull().default("private"),
    /** The workspace the chat belongs to, for good (drizzle/0036_chat_workspaces.sql). */
    organizationId: uuid("organizationId")
      .notNull()
      .default(sql`public.get_current_tenant_id()`)
      .references(() => organization.id),
    /** The two user ids of a direct chat, sorted and joined: one direct chat per pair in a workspace. */
    directKey: text("directKey"),
    createdBy: uuid("createdBy").references(() => user.id, { onDelete: "set null" }),
    lastSeq: seq("lastSeq").notNull().default(0),
    /** How many of the chat's messages count as unread-able (all but system messages). */
    lastOrdinal: seq("lastOrdinal").notNull().default(0),
    lastMessageAt: timestamptz("lastMessageAt"),
    /** How many members the chat has, kept by a trigger on chat_members. */
    memberCount: integer("memberCount").notNull().default(0),
    /**
     * A deleted group: hidden from everyone (its members are moved to
     * `deleted_chat_members`), its rows and edit history kept (drizzle/0023).
     */
    deletedAt: timestamptz("deletedAt"),
    deletedBy: uuid("deletedBy").references(() => user.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("chats_type_valid", sql`${t.type} in ('direct', 'group')`),
    unique("chats_direct_key_per_workspace").on(t.organizationId, t.directKey),
    index("idx_chats_organization_id").on(t.organizationId),
    check("chats_deleted_group", sql`${t.deletedAt} is null or ${t.type} = 'group'`),
    check(
      "chats_visibility_valid",
      sql`${t.visibility} IN ('private', 'public') AND (${t.visibility} = 'private' OR ${t.type} = 'group')`,
    ),
    check(
      "chats_group_name",
      sql`${t.type} = 'direct' or (${t.name} is not null and char_length(${t.name}) between 1 and 100)`,
    ),
    check("chats_direct_key", sql`(${t.type} = 'direct') = (${t.directKey} is not null)`),
    check("chats_description_length", sql`char_length(${t.description}) <= 1000`),
    // Only a picture Parley stored for this very chat (contracts/avatar-paths.ts).
    check(
      "chats_avatar_path_own",
      sql`${t.avatarPath} is null or ${t.avatarPath} ~ ('^/api/chats/' || ${t.id}::text || '/avatar/[0-9a-f]{16,64}\\.webp$')`,
    ),
    index("idx_chats_last_message_at").on(t.lastMessageAt),
  ],
);

/**
 * A chat's members. Each row also carries its chat's workspace (`"organizationId"`, set by the
 * `chat_members_workspace_guard` trigger and never changed; drizzle/0036): it is the
 * database's, for the membership sets, and left out here so that no insert names it.
 */
export const chatMembers = pgTable(
  "chat_members",
  {
    chatId: uuid("chatId")
      .notNull()
      .references(() => chats.id, { onDelete: "cascade" }),
    userId: uuid("userId")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    role: text("role", { enum: CHAT_ROLES }).notNull().default("member"),
    joinedAt: timestamptz("joinedAt").notNull().defaultNow(),
    lastReadSeq: seq("lastReadSeq").notNull().default(0),
    /** `messages.ordinal` at lastReadSeq, kept by a trigger: unread = lastOrdinal − this. */
    lastReadOrdinal: seq("lastReadOrdinal").notNull().default(0),
    lastReadAt: timestamptz("lastReadAt"),
    lastDeliveredSeq: seq("lastDeliveredSeq").notNull().default(0),
    /**
     * "Mark as unread": the chat counts as unread from this message until the member reads
     * it again (drizzle/0029); the read pointer, which read receipts show, does not move.
     */
    unreadFromSeq: seq("unreadFromSeq"),
    /** The unread-able messages before the mark, derived by a trigger. */
    unreadFromOrdinal: seq("unreadFromOrdinal"),
    mutedUntil: timestamptz("mutedUntil"),
    notificationLevel: text("notificationLevel", { enum: NOTIFICATION_LEVELS })
      .notNull()
      .default("all"),
    hiddenAt: timestamptz("hiddenAt"),
  },
  (t) => [
    primaryKey({ name: "chat_members_pkey", columns: [t.chatId, t.userId] }),
    index("idx_chat_members_user_id").on(t.userId),
    check("chat_members_role_valid", sql`${t.role} in ('owner', 'admin', 'member')`),
    check(
      "chat_members_notification_level_valid",
      sql`${t.notificationLevel} in ('all', 'mentions', 'none')`,
    ),
  ],
);

/**
 * Who belonged to a group when it was deleted: kept with the group's rows, readable by no
 * request role. Membership itself ends with the deletion, so every check of it refuses.
 */
export const deletedChatMembers = pgTable(
  "deleted_chat_members",
  {
    chatId: uuid("chatId")
      .notNull()
      .references(() => chats.id, { onDelete: "cascade" }),
    userId: uuid("userId")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    role: text("role", { enum: CHAT_ROLES }).notNull(),
    joinedAt: timestamptz("joinedAt").notNull(),
    lastReadSeq: seq("lastReadSeq").notNull(),
  },
  (t) => [
    primaryKey({ name: "deleted_chat_members_pkey", columns: [t.chatId, t.userId] }),
    index("idx_deleted_chat_members_user_id").on(t.userId),
  ],
);

export const messages = pgTable(
  "messages",
  {
    id: id(),
    chatId: uuid("chatId")
      .notNull()
      .references(() => chats.id, { onDelete: "cascade" }),
    senderId: uuid("senderId").references(() => user.id, { onDelete: "set null" }),
    /** Per chat, gap-free, assigned by the insert trigger from chats.lastSeq. */
    seq: seq("seq").notNull(),
    /**
     * The chat's non-system messages up to and including this one, assigned with seq: a
     * member's unread count is `chats.lastOrdinal` minus the ordinal at their read pointer
     * (minus deletions past it), so counting costs two index probes at any backlog.
     */
    ordinal: seq("ordinal").notNull().default(0),
    type: text("type", { enum: MESSAGE_TYPES }).notNull().default("text"),
    content: text("content").notNull().default(""),
    replyToId: uuid("replyToId").references((): AnyPgColumn => messages.id, {
      onDelete: "set null",
    }),
    /**
     * A reply in the thread of this message (drizzle/0031): it takes the chat's next seq
     * like any message, but the timeline, the unread count and the chat's activity leave it out.
     */
    threadRootId: uuid("threadRootId").references((): AnyPgColumn => messages.id, {
      onDelete: "cascade",
    }),
    metadata: jsonb("metadata"),
    /** Forwarded from another message (drizzle/0033); where from is not kept. */
    forwarded: boolean("forwarded").notNull().default(false),
    editedAt: timestamptz("editedAt"),
    deletedAt: timestamptz("deletedAt"),
    deletedBy: uuid("deletedBy").references(() => user.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    searchVector: tsvector("searchVector").generatedAlwaysAs(
      (): SQL => sql`to_tsvector('simple'::regconfig, ${messages.content})`,
    ),
  },
  (t) => [
    // Ascending: a backward scan serves `seq DESC` (nulls first, the default) and a forward
    // scan `seq ASC`; a DESC NULLS LAST index would serve neither order and force a sort.
    uniqueIndex("idx_messages_chat_id_seq").on(t.chatId, t.seq),
    // Deletions are rare: the unread count subtracts those past the read pointer from here.
    index("idx_messages_deleted")
      .on(t.chatId, t.seq)
      .where(sql`${t.deletedAt} is not null`),
    index("idx_messages_sender_id").on(t.senderId),
    index("idx_messages_reply_to_id").on(t.replyToId),
    index("idx_messages_thread")
      .on(t.threadRootId, t.seq)
      .where(sql`${t.threadRootId} is not null`),
    index("idx_messages_search").using("gin", t.searchVector),
    check(
      "messages_type_valid",
      sql`${t.type} in ('text', 'image', 'file', 'audio', 'video', 'system')`,
    ),
    check("messages_content_length", sql`char_length(${t.content}) <= 10000`),
  ],
);

export const messageEdits = pgTable(
  "message_edits",
  {
    id: id(),
    messageId: uuid("messageId")
      .notNull()
      .references(() => messages.id, { onDelete: "cascade" }),
    chatId: uuid("chatId")
      .notNull()
      .references(() => chats.id, { onDelete: "cascade" }),
    previousContent: text("previousContent").notNull(),
    editedAt: timestamptz("editedAt").notNull().defaultNow(),
    editedBy: uuid("editedBy").references(() => user.id, { onDelete: "set null" }),
  },
  (t) => [
    index("idx_message_edits_message_id").on(t.messageId),
    index("idx_message_edits_chat_id").on(t.chatId),
  ],
);

export const messageAttachments = pgTable(
  "message_attachments",
  {
    id: id(),
    messageId: uuid("messageId").references(() => messages.id, { onDelete: "cascade" }),
    chatId: uuid("chatId")
      .notNull()
      .references(() => chats.id, { onDelete: "cascade" }),
    uploaderId: uuid("uploaderId").references(() => user.id, { onDelete: "set null" }),
    fileName: text("fileName").notNull(),
    storagePath: text("storagePath").notNull().unique(),
    fileSize: bigint("fileSize", { mode: "number" }).notNull(),
    mimeType: text("mimeType").notNull(),
    width: integer("width"),
    height: integer("height"),
    thumbnailPath: text("thumbnailPath"),
    createdAt: createdAt(),
  },
  (t) => [
    index("idx_message_attachments_message_id").on(t.messageId),
    index("idx_message_attachments_chat_id").on(t.chatId),
    index("idx_message_attachments_uploader_id").on(t.uploaderId),
    check("message_attachments_file_size", sql`${t.fileSize} >= 0`),
  ],
);

export const messageReactions = pgTable(
  "message_reactions",
  {
    messageId: uuid("messageId")
      .notNull()
      .references(() => messages.id, { onDelete: "cascade" }),
    userId: uuid("userId")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    emoji: text("emoji").notNull(),
    /** Copied from the message by a trigger, so policies check membership without a join. */
    chatId: uuid("chatId")
      .notNull()
      .references(() => chats.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: "message_reactions_pkey", columns: [t.messageId, t.userId, t.emoji] }),
    index("idx_message_reactions_chat_id").on(t.chatId),
    index("idx_message_reactions_user_id").on(t.userId),
    check(
      "message_reactions_emoji",
      sql`char_length(${t.emoji}) between 1 and 32 and ${t.emoji} !~ '\\s'`,
    ),
  ],
);
