import { z } from "zod";
import { CHAT_PERMISSIONS } from "@/contracts/permissions";
import { chatOfAvatarUrl } from "@/contracts/avatar-paths";
import { dateInput } from "@/contracts/dates";
import { statusSchema } from "@/contracts/statuses";
import {
  CHAT_ROLES,
  CHAT_TYPES,
  CHAT_VISIBILITIES,
  MESSAGE_TYPES,
  NOTIFICATION_LEVELS,
} from "@/contracts/enums";

export const MAX_GROUP_MEMBERS = 256;
export const UNREAD_CAP = 100;

export const chatIdInput = z.object({ chatId: z.uuid() }).strict();
export const seqSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const groupNameSchema = z
  .string()
  .trim()
  .min(1, "Name is required")
  .max(100, "Name must be at most 100 characters");
export const descriptionSchema = z
  .string()
  .trim()
  .max(1000, "Description must be at most 1000 characters");

/** tRPC's infinite queries add the paging direction to a cursor input. */
export const pagingDirectionSchema = z.enum(["forward", "backward"]).optional();

export const listChatsInput = z
  .object({
    cursor: z.string().max(200).optional(),
    direction: pagingDirectionSchema,
    limit: z.number().int().min(1).max(100).default(30),
  })
  .strict()
  .default({ limit: 30 });

export const lastMessageSchema = z.object({
  id: z.uuid(),
  seq: z.number().int(),
  type: z.enum(MESSAGE_TYPES),
  senderId: z.uuid().nullable(),
  senderName: z.string().nullable(),
  preview: z.string(),
  createdAt: z.date(),
});

export const chatSummarySchema = z.object({
  id: z.uuid(),
  type: z.enum(CHAT_TYPES),
  /** A group's name; for a direct chat, the other person's name. */
  title: z.string(),
  /** A group's avatar path; for a direct chat, the other person's image. */
  image: z.string().nullable(),
  directUserId: z.uuid().nullable(),
  lastSeq: z.number().int(),
  lastMessage: lastMessageSchema.nullable(),
  activityAt: z.date(),
  unreadCount: z.number().int().min(0).max(UNREAD_CAP),
  /** Threads the caller follows in this chat that have replies they have not read. */
  unreadThreads: z.number().int().min(0),
  /** Unread messages of the timeline that mention the caller (by name, @channel or @here). */
  unreadMentions: z.number().int().min(0),
  myRole: z.enum(CHAT_ROLES),
  muted: z.boolean(),
  mutedUntil: z.date().nullable(),
  notificationLevel: z.enum(NOTIFICATION_LEVELS),
  memberCount: z.number().int(),
});
export type ChatSummary = z.infer<typeof chatSummarySchema>;

export const chatListSchema = z.object({
  items: z.array(chatSummarySchema),
  nextCursor: z.string().nullable(),
});

export const chatMemberSchema = z.object({
  userId: z.uuid(),
  name: z.string(),
  image: z.string().nullable(),
  status: statusSchema.nullable(),
  role: z.enum(CHAT_ROLES),
  joinedAt: z.date(),
  lastReadSeq: z.number().int(),
  lastReadAt: z.date().nullable(),
  lastDeliveredSeq: z.number().int(),
  /** When they were last online, while both they and the caller show theirs. */
  lastSeenAt: z.date().nullable(),
});
export type ChatMember = z.infer<typeof chatMemberSchema>;

export const chatDetailSchema = z.object({
  id: z.uuid(),
  type: z.enum(CHAT_TYPES),
  visibility: z.enum(CHAT_VISIBILITIES),
  title: z.string(),
  name: z.string().nullable(),
  description: z.string().nullable(),
  image: z.string().nullable(),
  createdBy: z.uuid().nullable(),
  createdAt: z.date(),
  lastSeq: z.number().int(),
  myRole: z.enum(CHAT_ROLES),
  /** The caller's permissions in the chat's workspace (their workspace role's). */
  myPermissions: z.array(z.enum(CHAT_PERMISSIONS)),
  mutedUntil: z.date().nullable(),
  notificationLevel: z.enum(NOTIFICATION_LEVELS),
  lastReadSeq: z.number().int(),
  lastDeliveredSeq: z.number().int(),
  /** My "mark as unread": the chat counts as unread from this message until I read it again. */
  unreadFromSeq: z.number().int().nullable(),
  members: z.array(chatMemberSchema),
});
export type ChatDetail = z.infer<typeof chatDetailSchema>;

export const createDirectInput = z.object({ userId: z.uuid() }).strict();

export const createGroupInput = z
  .object({
    name: groupNameSchema,
    description: descriptionSchema.optional(),
    /** `public`: in the room directory, for anyone signed in to join. */
    visibility: z.enum(CHAT_VISIBILITIES).optional(),
    memberIds: z
      .array(z.uuid())
      .max(MAX_GROUP_MEMBERS - 1, `A group has at most ${MAX_GROUP_MEMBERS} members`),
  })
  .strict();

export const updateChatInput = z
  .object({
    chatId: z.uuid(),
    name: groupNameSchema.optional(),
    description: descriptionSchema.nullable().optional(),
    avatarPath: z.string().max(1024).nullable().optional(),
    visibility: z.enum(CHAT_VISIBILITIES).optional(),
  })
  .strict()
  .refine(
    (v) =>
      v.name !== undefined ||
      v.description !== undefined ||
      v.avatarPath !== undefined ||
      v.visibility !== undefined,
    {
      message: "Give a name, description, avatar or visibility to change",
    },
  )
  .refine((v) => !v.avatarPath || chatOfAvatarUrl(v.avatarPath) === v.chatId, {
    path: ["avatarPath"],
    message: "A chat's picture must be one Parley stored for that chat",
  });

export const roomDirectoryInput = z
  .object({
    query: z.string().trim().max(100).optional(),
    cursor: z.string().max(300).optional(),
    direction: pagingDirectionSchema,
    limit: z.number().int().min(1).max(50).default(20),
  })
  .strict();
export type RoomDirectoryInput = z.infer<typeof roomDirectoryInput>;

/** A public room as the directory shows it to anyone signed in. */
export const publicRoomSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  image: z.string().nullable(),
  memberCount: z.number().int(),
  /** The caller is a member already. */
  joined: z.boolean(),
});
export type PublicRoom = z.infer<typeof publicRoomSchema>;

export const roomDirectorySchema = z.object({
  items: z.array(publicRoomSchema),
  nextCursor: z.string().nullable(),
});

export const addMembersInput = z
  .object({
    chatId: z.uuid(),
    userIds: z
      .array(z.uuid())
      .min(1)
      .max(MAX_GROUP_MEMBERS - 1),
  })
  .strict();

export const memberInput = z.object({ chatId: z.uuid(), userId: z.uuid() }).strict();

export const setRoleInput = z
  .object({ chatId: z.uuid(), userId: z.uuid(), role: z.enum(["admin", "member"]) })
  .strict();

export const setNotificationsInput = z
  .object({
    chatId: z.uuid(),
    level: z.enum(NOTIFICATION_LEVELS),
    mutedUntil: dateInput().nullable().optional(),
  })
  .strict();

export const notificationSettingsSchema = z.object({
  notificationLevel: z.enum(NOTIFICATION_LEVELS),
  mutedUntil: z.date().nullable(),
});

export const pointerInput = z.object({ chatId: z.uuid(), seq: seqSchema }).strict();

export const pointerResultSchema = z.object({
  lastReadSeq: z.number().int(),
  lastDeliveredSeq: z.number().int(),
  unreadCount: z.number().int().min(0).max(UNREAD_CAP),
});

export const markUnreadResultSchema = z.object({
  unreadFromSeq: z.number().int(),
  unreadCount: z.number().int().min(0).max(UNREAD_CAP),
});

export const unreadTotalSchema = z.object({
  /** Unread messages over all visible chats, each chat capped at UNREAD_CAP. */
  total: z.number().int().min(0),
  chats: z.number().int().min(0),
});

export const chatRefSchema = z.object({ chatId: z.uuid() });

export const storageStatsSchema = z.object({
  count: z.number().int(),
  totalBytes: z.number().int(),
  byType: z.array(z.object({ mimeType: z.string(), count: z.number().int(), bytes: z.number() })),
});
