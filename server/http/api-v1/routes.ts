import "server-only";

import { z } from "zod";
import { dateInput } from "@/contracts/dates";
import {
  addMembersInput,
  chatDetailSchema,
  chatListSchema,
  createGroupInput,
  pointerInput,
  pointerResultSchema,
} from "@/contracts/chats";
import { apiRealtimeTokenSchema } from "@/contracts/realtime";
import { emojiSchema } from "@/contracts/emoji";
import { auditPageSchema, STATUS_CLASSES } from "@/contracts/audit";
import { profileSchema } from "@/contracts/me";
import {
  idempotencyKeySchema,
  MESSAGE_MAX_LENGTH,
  messagePageSchema,
  messageSchema,
  reactionsResultSchema,
} from "@/contracts/messages";
import { threadPageSchema } from "@/contracts/threads";
import {
  jsonValueSchema,
  metaDataTypeSchema,
  metaKeySchema,
  metaSchema,
  setMetaInput,
} from "@/contracts/metas";
import { getChat, listChats } from "@/server/services/chat-read";
import { listAuditLogs } from "@/server/services/audit";
import { getProfile } from "@/server/services/me";
import {
  addMembers,
  createDirectChat,
  createGroupChat,
  leaveChat,
  movePointer,
  removeMember,
} from "@/server/services/chat-write";
import { env } from "@/server/env";
import { realtimeClientConfig } from "@/server/realtime/client-config";
import { mintApiKeyAccessToken } from "@/server/realtime/tokens";
import {
  deleteMessage,
  editMessage,
  listMessages,
  sendMessage,
  setReaction,
} from "@/server/services/messages";
import { deleteMeta, getMeta, listMetas, setMeta } from "@/server/services/metas";
import { getThread } from "@/server/services/threads";
import { AppError } from "@/server/errors";
import { defineRoute } from "./define-route";
import { WEBHOOK_ROUTES } from "./webhook-routes";

const chatParams = z.object({ chatId: z.uuid() });
const memberParams = z.object({ chatId: z.uuid(), userId: z.uuid() });
const messageParams = z.object({ messageId: z.uuid() });
const metaParams = z.object({ key: metaKeySchema });
const seqParam = z.coerce.number().int().min(0);
/** A page by sequence number: the latest, or those before or after a seq. */
const seqPageQuery = z
  .object({
    before: seqParam.optional(),
    after: seqParam.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  })
  .refine((q) => q.before === undefined || q.after === undefined, {
    message: "Give before or after, not both",
  });

export const getMe = defineRoute({
  method: "GET",
  path: "/api/v1/me",
  operationId: "getProfile",
  scope: "profile:read",
  tag: "Profile",
  summary: "Your profile",
  response: profileSchema,
  handler: (tx, { key }) => getProfile(tx, { userId: key.userId }),
});

export const listMyMetas = defineRoute({
  method: "GET",
  path: "/api/v1/metas",
  operationId: "listMetas",
  scope: "metas:read",
  tag: "Metas",
  summary: "Your preferences and profile fields",
  response: z.object({ items: z.array(metaSchema) }),
  handler: async (tx, { key }) => ({ items: await listMetas(tx, { userId: key.userId }) }),
});

export const getMyMeta = defineRoute({
  method: "GET",
  path: "/api/v1/metas/{key}",
  operationId: "getMeta",
  scope: "metas:read",
  tag: "Metas",
  summary: "One meta by key",
  params: metaParams,
  response: metaSchema,
  handler: (tx, { key, params }) => getMeta(tx, { userId: key.userId, key: params.key }),
});

export const putMyMeta = defineRoute({
  method: "PUT",
  path: "/api/v1/metas/{key}",
  operationId: "putMeta",
  scope: "metas:write",
  tag: "Metas",
  summary: "Create or replace a meta",
  params: metaParams,
  body: z
    .object({
      value: jsonValueSchema,
      dataType: metaDataTypeSchema.optional(),
      isPublic: z.boolean().optional(),
      isSearchable: z.boolean().optional(),
    })
    .strict(),
  response: metaSchema,
  handler: (tx, { key, params, body }) => {
    // The same rules as metas.set: value type, data type match, size.
    const input = setMetaInput.safeParse({ ...body, key: params.key });
    if (!input.success) {
      throw new AppError("UNPROCESSABLE_CONTENT", "Invalid body", {
        issues: input.error.issues.map((i) => ({ path: i.path, message: i.message, code: i.code })),
      });
    }
    return setMeta(tx, { userId: key.userId, ...input.data });
  },
});

export const deleteMyMeta = defineRoute({
  method: "DELETE",
  path: "/api/v1/metas/{key}",
  operationId: "deleteMeta",
  scope: "metas:write",
  tag: "Metas",
  summary: "Delete a meta",
  params: metaParams,
  status: 204,
  handler: (tx, { key, params }) => deleteMeta(tx, { userId: key.userId, key: params.key }),
});

export const listMyChats = defineRoute({
  method: "GET",
  path: "/api/v1/chats",
  operationId: "listChats",
  scope: "chats:read",
  tag: "Chats",
  summary: "Your chats, most recently active first",
  query: z.object({
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(30),
  }),
  response: chatListSchema,
  handler: (tx, { key, query }) => listChats(tx, { userId: key.userId, ...query }),
});

export const getMyChat = defineRoute({
  method: "GET",
  path: "/api/v1/chats/{chatId}",
  operationId: "getChat",
  scope: "chats:read",
  tag: "Chats",
  summary: "A chat with its members",
  params: chatParams,
  response: chatDetailSchema,
  handler: (tx, { key, params }) => getChat(tx, { userId: key.userId, chatId: params.chatId }),
});

export const listChatMessages = defineRoute({
  method: "GET",
  path: "/api/v1/chats/{chatId}/messages",
  operationId: "listMessages",
  scope: "messages:read",
  tag: "Messages",
  summary: "Messages of a chat by sequence number",
  params: chatParams,
  query: seqPageQuery,
  response: messagePageSchema,
  handler: (tx, { key, params, query }) =>
    listMessages(tx, { userId: key.userId, chatId: params.chatId, ...query }),
});

export const postChatMessage = defineRoute({
  method: "POST",
  path: "/api/v1/chats/{chatId}/messages",
  operationId: "sendMessage",
  scope: "messages:write",
  tag: "Messages",
  summary:
    "Send a message (Idempotency-Key: a retry with the same key and body returns the message sent; the same key with another body is 422)",
  params: chatParams,
  headers: z.object({
    "idempotency-key": idempotencyKeySchema.optional(),
  }),
  body: z
    .object({
      content: z.string().max(MESSAGE_MAX_LENGTH),
      replyToId: z.uuid().optional(),
      /** Sends it as a reply in this message's thread. */
      threadRootId: z.uuid().optional(),
    })
    .strict()
    .refine((b) => b.content.trim().length > 0, {
      message: "A message needs text",
      path: ["content"],
    }),
  response: messageSchema,
  status: 201,
  handler: (tx, { key, params, headers, body }) =>
    sendMessage(tx, {
      userId: key.userId,
      chatId: params.chatId,
      clientKey: headers["idempotency-key"],
      content: body.content,
      replyToId: body.replyToId,
      threadRootId: body.threadRootId,
    }),
});

export const getMessageThread = defineRoute({
  method: "GET",
  path: "/api/v1/messages/{messageId}/thread",
  operationId: "getThread",
  scope: "messages:read",
  tag: "Messages",
  summary:
    "A message's thread: the message, whether you follow it, and its replies by sequence number",
  params: messageParams,
  query: seqPageQuery,
  response: threadPageSchema,
  handler: (tx, { key, params, query }) =>
    getThread(tx, { userId: key.userId, rootId: params.messageId, ...query }),
});

export const putMessage = defineRoute({
  method: "PUT",
  path: "/api/v1/messages/{messageId}",
  operationId: "editMessage",
  scope: "messages:write",
  tag: "Messages",
  summary: "Edit one of your messages (its earlier text is kept in its history)",
  params: messageParams,
  body: z.object({ content: z.string().max(MESSAGE_MAX_LENGTH) }).strict(),
  response: messageSchema,
  handler: (tx, { key, params, body }) =>
    editMessage(tx, { userId: key.userId, messageId: params.messageId, content: body.content }),
});

export const deleteMessageRoute = defineRoute({
  method: "DELETE",
  path: "/api/v1/messages/{messageId}",
  operationId: "deleteMessage",
  scope: "messages:write",
  tag: "Messages",
  summary:
    "Delete a message: yours, or any in a group you own or administer (it stays, marked deleted)",
  params: messageParams,
  response: messageSchema,
  handler: (tx, { key, params }) =>
    deleteMessage(tx, { userId: key.userId, messageId: params.messageId }),
});

const reactionParams = z.object({ messageId: z.uuid(), emoji: emojiSchema });

/** Adding (`PUT`) or taking back (`DELETE`) one's reaction with an emoji: one route each. */
function reactionRoute(method: "PUT" | "DELETE", operationId: string, summary: string) {
  return defineRoute({
    method,
    path: "/api/v1/messages/{messageId}/reactions/{emoji}",
    operationId,
    scope: "messages:write",
    tag: "Messages",
    summary,
    params: reactionParams,
    response: reactionsResultSchema,
    handler: (tx, { key, params }) =>
      setReaction(tx, { userId: key.userId, ...params, present: method === "PUT" }),
  });
}

export const putReaction = reactionRoute(
  "PUT",
  "addReaction",
  "React to a message with an emoji (URL-encoded); reacting again changes nothing",
);
export const deleteReaction = reactionRoute(
  "DELETE",
  "removeReaction",
  "Take back your reaction with an emoji",
);

export const postChat = defineRoute({
  method: "POST",
  path: "/api/v1/chats",
  operationId: "createChat",
  scope: "chats:write",
  tag: "Chats",
  summary:
    "Start a direct chat with someone (the one you have already is returned) or create a group (Idempotency-Key: a retry with the same key and body returns the group created; the same key with another name is 422)",
  headers: z.object({
    "idempotency-key": idempotencyKeySchema.optional(),
  }),
  body: z.discriminatedUnion("type", [
    z.object({ type: z.literal("direct"), userId: z.uuid() }).strict(),
    createGroupInput.extend({ type: z.literal("group") }).strict(),
  ]),
  response: chatDetailSchema,
  status: 201,
  handler: (tx, { key, headers, body }) =>
    body.type === "direct"
      ? createDirectChat(tx, { userId: key.userId, otherUserId: body.userId })
      : createGroupChat(tx, {
          userId: key.userId,
          ...body,
          clientKey: headers["idempotency-key"],
        }),
});

export const postChatMembers = defineRoute({
  method: "POST",
  path: "/api/v1/chats/{chatId}/members",
  operationId: "addChatMembers",
  scope: "chats:write",
  tag: "Chats",
  summary: "Add people to a group you own or administer (those already in it are left as they are)",
  params: chatParams,
  body: addMembersInput.pick({ userIds: true }).strict(),
  response: chatDetailSchema,
  handler: (tx, { key, params, body }) =>
    addMembers(tx, { userId: key.userId, chatId: params.chatId, userIds: body.userIds }),
});

export const deleteChatMember = defineRoute({
  method: "DELETE",
  path: "/api/v1/chats/{chatId}/members/{userId}",
  operationId: "removeChatMember",
  scope: "chats:write",
  tag: "Chats",
  summary: "Remove someone from a group you own or administer; with your own id, leave the chat",
  params: memberParams,
  status: 204,
  handler: async (tx, { key, params }) => {
    if (params.userId === key.userId) {
      await leaveChat(tx, { userId: key.userId, chatId: params.chatId });
    } else {
      await removeMember(tx, {
        userId: key.userId,
        chatId: params.chatId,
        memberId: params.userId,
      });
    }
  },
});

export const postChatRead = defineRoute({
  method: "POST",
  path: "/api/v1/chats/{chatId}/read",
  operationId: "markChatRead",
  scope: "chats:write",
  tag: "Chats",
  summary: "Mark a chat read up to a message's sequence number (a read pointer never moves back)",
  params: chatParams,
  body: pointerInput.pick({ seq: true }).strict(),
  response: pointerResultSchema,
  handler: (tx, { key, params, body }) =>
    movePointer(tx, { userId: key.userId, chatId: params.chatId, seq: body.seq, pointer: "read" }),
});

export const postRealtimeToken = defineRoute({
  method: "POST",
  path: "/api/v1/realtime/token",
  operationId: "createRealtimeToken",
  scope: "realtime:connect",
  tag: "Realtime",
  summary:
    "A realtime token for the key's owner, valid for fifteen minutes (never longer than the key); ask for a new one before it expires",
  response: apiRealtimeTokenSchema,
  status: 201,
  handler: async (_tx, { key }) => {
    const [minted, client] = await Promise.all([
      mintApiKeyAccessToken(key),
      realtimeClientConfig(),
    ]);
    return { ...minted, url: client.url ?? env.appUrl, anonKey: client.anonKey };
  },
});

export const listMyAuditLogs = defineRoute({
  method: "GET",
  path: "/api/v1/audit-logs",
  operationId: "listAuditLogs",
  scope: "audit:read",
  tag: "Audit",
  summary: "Your audit trail, newest first",
  query: z.object({
    cursor: z.string().max(200).optional(),
    from: dateInput().optional(),
    to: dateInput().optional(),
    status: z.enum(STATUS_CLASSES).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  }),
  response: auditPageSchema,
  handler: (tx, { key, query }) => listAuditLogs(tx, { ...query, userId: key.userId }),
});

/** Every REST v1 route, for the OpenAPI document and the route-coverage test. */
export const API_ROUTES = [
  getMe,
  listMyMetas,
  getMyMeta,
  putMyMeta,
  deleteMyMeta,
  listMyChats,
  getMyChat,
  listChatMessages,
  postChatMessage,
  getMessageThread,
  putMessage,
  deleteMessageRoute,
  putReaction,
  deleteReaction,
  postChat,
  postChatMembers,
  deleteChatMember,
  postChatRead,
  postRealtimeToken,
  listMyAuditLogs,
  ...WEBHOOK_ROUTES,
];
