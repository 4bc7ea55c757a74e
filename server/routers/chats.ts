import "server-only";

import {
  addMembersInput,
  chatDetailSchema,
  chatIdInput,
  chatListSchema,
  chatRefSchema,
  createDirectInput,
  createGroupInput,
  listChatsInput,
  markUnreadResultSchema,
  memberInput,
  notificationSettingsSchema,
  pointerInput,
  pointerResultSchema,
  roomDirectoryInput,
  roomDirectorySchema,
  setNotificationsInput,
  setRoleInput,
  storageStatsSchema,
  unreadTotalSchema,
  updateChatInput,
} from "@/contracts/chats";
import { chatFilePageSchema, listChatFilesInput } from "@/contracts/chat-files";
import { storageStats } from "@/server/services/attachments";
import { listChatFiles } from "@/server/services/chat-files";
import { getChat, listChats, unreadTotal } from "@/server/services/chat-read";
import {
  addMembers,
  createDirectChat,
  createGroupChat,
  deleteChat,
  hideChat,
  leaveChat,
  markUnread,
  movePointer,
  removeMember,
  setMemberRole,
  setNotifications,
  transferOwnership,
  updateChat,
} from "@/server/services/chat-write";
import { joinRoom, roomDirectory } from "@/server/services/rooms";
import { createTRPCRouter, protectedProcedure } from "@/server/trpc/init";

export const chatsRouter = createTRPCRouter({
  list: protectedProcedure
    .input(listChatsInput)
    .output(chatListSchema)
    .query(({ ctx, input }) => listChats(ctx.tx, { userId: ctx.user.id, ...input })),

  get: protectedProcedure
    .input(chatIdInput)
    .output(chatDetailSchema)
    .query(({ ctx, input }) => getChat(ctx.tx, { userId: ctx.user.id, chatId: input.chatId })),

  createDirect: protectedProcedure
    .input(createDirectInput)
    .output(chatDetailSchema)
    .mutation(({ ctx, input }) =>
      createDirectChat(ctx.tx, { userId: ctx.user.id, otherUserId: input.userId }),
    ),

  createGroup: protectedProcedure
    .input(createGroupInput)
    .output(chatDetailSchema)
    .mutation(({ ctx, input }) => createGroupChat(ctx.tx, { userId: ctx.user.id, ...input })),

  directory: protectedProcedure
    .input(roomDirectoryInput)
    .output(roomDirectorySchema)
    .query(({ ctx, input }) => roomDirectory(ctx.tx, input)),

  join: protectedProcedure
    .input(chatIdInput)
    .output(chatDetailSchema)
    .mutation(({ ctx, input }) => joinRoom(ctx.tx, { userId: ctx.user.id, chatId: input.chatId })),

  update: protectedProcedure
    .input(updateChatInput)
    .output(chatDetailSchema)
    .mutation(({ ctx, input }) => updateChat(ctx.tx, { userId: ctx.user.id, ...input })),

  addMembers: protectedProcedure
    .input(addMembersInput)
    .output(chatDetailSchema)
    .mutation(({ ctx, input }) => addMembers(ctx.tx, { userId: ctx.user.id, ...input })),

  removeMember: protectedProcedure
    .input(memberInput)
    .output(chatDetailSchema)
    .mutation(({ ctx, input }) =>
      removeMember(ctx.tx, { userId: ctx.user.id, chatId: input.chatId, memberId: input.userId }),
    ),

  setRole: protectedProcedure
    .input(setRoleInput)
    .output(chatDetailSchema)
    .mutation(({ ctx, input }) =>
      setMemberRole(ctx.tx, {
        userId: ctx.user.id,
        chatId: input.chatId,
        memberId: input.userId,
        role: input.role,
      }),
    ),

  transferOwnership: protectedProcedure
    .input(memberInput)
    .output(chatDetailSchema)
    .mutation(({ ctx, input }) =>
      transferOwnership(ctx.tx, {
        userId: ctx.user.id,
        chatId: input.chatId,
        memberId: input.userId,
      }),
    ),

  leave: protectedProcedure
    .input(chatIdInput)
    .output(chatRefSchema)
    .mutation(async ({ ctx, input }) => {
      await leaveChat(ctx.tx, { userId: ctx.user.id, chatId: input.chatId });
      return { chatId: input.chatId };
    }),

  hide: protectedProcedure
    .input(chatIdInput)
    .output(chatRefSchema)
    .mutation(async ({ ctx, input }) => {
      await hideChat(ctx.tx, { userId: ctx.user.id, chatId: input.chatId });
      return { chatId: input.chatId };
    }),

  delete: protectedProcedure
    .input(chatIdInput)
    .output(chatRefSchema)
    .mutation(async ({ ctx, input }) => {
      await deleteChat(ctx.tx, { userId: ctx.user.id, chatId: input.chatId });
      return { chatId: input.chatId };
    }),

  setNotifications: protectedProcedure
    .input(setNotificationsInput)
    .output(notificationSettingsSchema)
    .mutation(({ ctx, input }) => setNotifications(ctx.tx, { userId: ctx.user.id, ...input })),

  markRead: protectedProcedure
    .input(pointerInput)
    .output(pointerResultSchema)
    .mutation(({ ctx, input }) =>
      movePointer(ctx.tx, { userId: ctx.user.id, ...input, pointer: "read" }),
    ),

  markUnread: protectedProcedure
    .input(pointerInput)
    .output(markUnreadResultSchema)
    .mutation(({ ctx, input }) => markUnread(ctx.tx, { userId: ctx.user.id, ...input })),

  markDelivered: protectedProcedure
    .input(pointerInput)
    .output(pointerResultSchema)
    .mutation(({ ctx, input }) =>
      movePointer(ctx.tx, { userId: ctx.user.id, ...input, pointer: "delivered" }),
    ),

  unreadTotal: protectedProcedure
    .output(unreadTotalSchema)
    .query(({ ctx }) => unreadTotal(ctx.tx, { userId: ctx.user.id })),

  /** The chat's files: count, bytes and the breakdown by type. */
  files: protectedProcedure
    .input(listChatFilesInput)
    .output(chatFilePageSchema)
    .query(({ ctx, input }) => listChatFiles(ctx.tx, { userId: ctx.user.id, ...input })),

  storageStats: protectedProcedure
    .input(chatIdInput)
    .output(storageStatsSchema)
    .query(({ ctx, input }) => storageStats(ctx.tx, { userId: ctx.user.id, chatId: input.chatId })),
});
