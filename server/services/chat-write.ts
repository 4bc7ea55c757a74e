import "server-only";

import { and, eq, sql } from "drizzle-orm";
import { queryRows } from "@/db/rows";
import { chatMembers, chats } from "@/db/schema";
import { type ChatVisibility, type NotificationLevel } from "@/contracts/enums";
import type { Tx } from "@/db/types";
import { MAX_GROUP_MEMBERS, type ChatDetail } from "@/contracts/chats";
import { AppError, sqlState } from "@/server/errors";
import type { MemberChange } from "@/server/realtime/events";
import { publishAfterCommit } from "@/server/realtime/publisher";
import {
  loadChatAccess,
  requirePermission,
  requireWorkspacePermission,
  type ChatAccess,
} from "./chat-access";
import { announceCallChange, liveCallId } from "./calls";
import { getChat, memberIds, unreadCount } from "./chat-read";

const uuidArray = (ids: string[]) => sql`${`{${ids.join(",")}}`}::uuid[]`;

async function currentSeq(tx: Tx, chatId: string): Promise<number> {
  const [row] = await tx.select({ lastSeq: chats.lastSeq }).from(chats).where(eq(chats.id, chatId));
  return row?.lastSeq ?? 0;
}

async function announceChat(tx: Tx, chatId: string, change: "created" | "updated"): Promise<void> {
  const userIds = await memberIds(tx, { chatId });
  publishAfterCommit(tx, {
    type: "chat.updated",
    chatId,
    change,
    userIds,
    seq: await currentSeq(tx, chatId),
  });
}

export async function announceMember(
  tx: Tx,
  chatId: string,
  userId: string,
  change: MemberChange,
): Promise<void> {
  const ids = await memberIds(tx, { chatId });
  publishAfterCommit(tx, {
    type: "member.changed",
    chatId,
    userId,
    change,
    memberIds: ids,
    seq: await currentSeq(tx, chatId),
  });
}

/** The direct chat with another user, created on first use (the same chat ever after). */
export async function createDirectChat(
  tx: Tx,
  params: { userId: string; otherUserId: string },
): Promise<ChatDetail> {
  const directKey = [params.userId, params.otherUserId].sort().join(":");
  const [existing] = await tx
    .select({ id: chats.id })
    .from(chats)
    .where(eq(chats.directKey, directKey));
  const [row] = await queryRows<{ id: string }>(
    tx,
    sql`select public.create_direct_chat(${params.otherUserId}::uuid) as id`,
  );
  if (!row) throw new AppError("INTERNAL_SERVER_ERROR", "Chat was not created");
  if (!existing) await announceChat(tx, row.id, "created");
  return getChat(tx, { userId: params.userId, chatId: row.id });
}

export async function createGroupChat(
  tx: Tx,
  params: {
    userId: string;
    name: string;
    description?: string;
    visibility?: ChatVisibility;
    memberIds: string[];
    /** Makes a retry with the same key return the group it created (REST v1). */
    clientKey?: string;
  },
): Promise<ChatDetail> {
  await requireWorkspacePermission(tx, "chat.create_group", "create groups");
  // Whether a retry's group is already there (as the caller sees it: one they left is not).
  const [keyed] = params.clientKey
    ? await queryRows<{ existed: boolean }>(
        tx,
        sql`select exists (
              select 1 from public.chats c where c.id = public.keyed_group_chat_id(${params.clientKey})
            ) as existed`,
      )
    : [];
  const [row] = await queryRows<{ id: string }>(
    tx,
    sql`select public.create_group_chat(${params.name}, ${params.description ?? null}, ${uuidArray(params.memberIds)}, ${params.clientKey ?? null}) as id`,
  ).catch((error: unknown) => {
    if (params.clientKey && sqlState(error) === "23505") {
      throw new AppError("UNPROCESSABLE_CONTENT", "This key was already used for another group");
    }
    throw error;
  });
  if (!row) throw new AppError("INTERNAL_SERVER_ERROR", "Chat was not created");
  // A retry with the same key returns the group as it is now, changing nothing.
  if (keyed?.existed) return getChat(tx, { userId: params.userId, chatId: row.id });
  // The creator owns it: the owners' update policy lets them open it to everyone.
  if (params.visibility === "public") {
    await tx.update(chats).set({ visibility: "public" }).where(eq(chats.id, row.id));
  }
  await announceChat(tx, row.id, "created");
  return getChat(tx, { userId: params.userId, chatId: row.id });
}

export async function updateChat(
  tx: Tx,
  params: {
    userId: string;
    chatId: string;
    name?: string;
    description?: string | null;
    avatarPath?: string | null;
    visibility?: ChatVisibility;
  },
): Promise<ChatDetail> {
  const chat = await loadChatAccess(tx, params);
  if (chat.type !== "group")
    throw new AppError(
      "BAD_REQUEST",
      "Only groups have a name, description, avatar and visibility",
    );
  requirePermission(chat, "chat.manage_group", "change this group");
  await tx
    .update(chats)
    .set({
      name: params.name,
      description: params.description === undefined ? undefined : params.description || null,
      avatarPath: params.avatarPath,
      visibility: params.visibility,
    })
    .where(eq(chats.id, chat.id));
  await announceChat(tx, chat.id, "updated");
  return getChat(tx, params);
}

async function requireGroupManager(
  tx: Tx,
  params: { userId: string; chatId: string },
  action: string,
): Promise<ChatAccess> {
  const chat = await loadChatAccess(tx, params);
  if (chat.type !== "group")
    throw new AppError("BAD_REQUEST", "Direct chats have no members to manage");
  requirePermission(chat, "chat.manage_group", action);
  return chat;
}

export async function addMembers(
  tx: Tx,
  params: { userId: string; chatId: string; userIds: string[] },
): Promise<ChatDetail> {
  const chat = await requireGroupManager(tx, params, "add members to this group");
  const current = new Set(await memberIds(tx, { chatId: chat.id }));
  const toAdd = [...new Set(params.userIds)].filter((id) => !current.has(id));
  if (current.size + toAdd.length > MAX_GROUP_MEMBERS) {
    throw new AppError("BAD_REQUEST", `A group has at most ${MAX_GROUP_MEMBERS} members`);
  }
  if (toAdd.length > 0) {
    // Only people the caller can see (signed-up, not banned) can be added.
    const [found] = await queryRows<{ n: number }>(
      tx,
      sql`select count(*)::int as n from public."user" u where u.id = any(${uuidArray(toAdd)}) and u.banned = false`,
    );
    if ((found?.n ?? 0) !== toAdd.length) {
      throw new AppError("BAD_REQUEST", "userIds must name existing users", {
        issues: [{ path: ["userIds"], message: "Unknown or unavailable user" }],
      });
    }
    await tx
      .insert(chatMembers)
      .values(toAdd.map((id) => ({ chatId: chat.id, userId: id, role: "member" as const })));
    for (const id of toAdd) await announceMember(tx, chat.id, id, "added");
  }
  return getChat(tx, params);
}

async function requireMember(tx: Tx, chatId: string, userId: string): Promise<{ role: string }> {
  const [member] = await tx
    .select({ role: chatMembers.role })
    .from(chatMembers)
    .where(and(eq(chatMembers.chatId, chatId), eq(chatMembers.userId, userId)));
  if (!member) throw new AppError("NOT_FOUND", "That person is not a member of this chat");
  return member;
}

export async function removeMember(
  tx: Tx,
  params: { userId: string; chatId: string; memberId: string },
): Promise<ChatDetail> {
  if (params.memberId === params.userId) {
    throw new AppError("BAD_REQUEST", "Use leave to leave a chat");
  }
  const chat = await requireGroupManager(tx, params, "remove members from this group");
  const member = await requireMember(tx, chat.id, params.memberId);
  if (member.role === "owner") throw new AppError("FORBIDDEN", "The owner cannot be removed");
  const live = await liveCallId(tx, { chatId: chat.id });
  await tx
    .delete(chatMembers)
    .where(and(eq(chatMembers.chatId, chat.id), eq(chatMembers.userId, params.memberId)));
  await announceMember(tx, chat.id, params.memberId, "removed");
  // The database took them out of the chat's call too (chat_members_leave_calls).
  if (live) await announceCallChange(tx, { chatId: chat.id, callId: live, line: true });
  return getChat(tx, params);
}

export async function setMemberRole(
  tx: Tx,
  params: { userId: string; chatId: string; memberId: string; role: "admin" | "member" },
): Promise<ChatDetail> {
  const chat = await requireGroupManager(tx, params, "change roles in this group");
  if (params.memberId === params.userId)
    throw new AppError("FORBIDDEN", "You cannot change your own role");
  const member = await requireMember(tx, chat.id, params.memberId);
  if (member.role === "owner")
    throw new AppError("FORBIDDEN", "The owner's role changes only by transfer");
  if (member.role !== params.role) {
    await tx
      .update(chatMembers)
      .set({ role: params.role })
      .where(and(eq(chatMembers.chatId, chat.id), eq(chatMembers.userId, params.memberId)));
    await announceMember(tx, chat.id, params.memberId, "role_changed");
  }
  return getChat(tx, params);
}

export async function transferOwnership(
  tx: Tx,
  params: { userId: string; chatId: string; memberId: string },
): Promise<ChatDetail> {
  const chat = await loadChatAccess(tx, params);
  if (chat.type !== "group") throw new AppError("BAD_REQUEST", "Direct chats have no owner");
  requirePermission(chat, "chat.delete", "transfer this group");
  if (params.memberId === params.userId)
    throw new AppError("BAD_REQUEST", "You already own this group");
  await requireMember(tx, chat.id, params.memberId);
  await tx.execute(
    sql`select public.transfer_chat_ownership(${chat.id}::uuid, ${params.memberId}::uuid)`,
  );
  await announceMember(tx, chat.id, params.memberId, "role_changed");
  await announceMember(tx, chat.id, params.userId, "role_changed");
  return getChat(tx, params);
}

export async function leaveChat(tx: Tx, params: { userId: string; chatId: string }): Promise<void> {
  const chat = await loadChatAccess(tx, params);
  if (chat.type !== "group")
    throw new AppError("BAD_REQUEST", "Direct chats cannot be left; hide them instead");
  if (chat.myRole === "owner") {
    throw new AppError("FORBIDDEN", "Transfer ownership before leaving, or delete the group");
  }
  const before = await memberIds(tx, { chatId: chat.id });
  const live = await liveCallId(tx, { chatId: chat.id });
  await tx
    .delete(chatMembers)
    .where(and(eq(chatMembers.chatId, chat.id), eq(chatMembers.userId, params.userId)));
  // The database took the leaver out of the chat's call too (chat_members_leave_calls); the
  // others re-read it (the leaver can no longer, so they are told directly).
  if (live) {
    publishAfterCommit(tx, {
      type: "call.changed",
      chatId: chat.id,
      callId: live,
      memberIds: before,
    });
  }
  publishAfterCommit(tx, {
    type: "member.changed",
    chatId: chat.id,
    userId: params.userId,
    change: "left",
    memberIds: before,
    seq: chat.lastSeq + 1,
  });
}

export async function hideChat(tx: Tx, params: { userId: string; chatId: string }): Promise<void> {
  const chat = await loadChatAccess(tx, params);
  if (chat.type !== "direct")
    throw new AppError("BAD_REQUEST", "Only direct chats can be hidden; leave a group instead");
  await tx
    .update(chatMembers)
    .set({ hiddenAt: new Date() })
    .where(and(eq(chatMembers.chatId, chat.id), eq(chatMembers.userId, params.userId)));
  publishAfterCommit(tx, {
    type: "chat.updated",
    chatId: chat.id,
    change: "hidden",
    userIds: [params.userId],
    seq: chat.lastSeq,
  });
}

export async function deleteChat(
  tx: Tx,
  params: { userId: string; chatId: string },
): Promise<void> {
  const chat = await loadChatAccess(tx, params);
  if (chat.type !== "group")
    throw new AppError("BAD_REQUEST", "Direct chats cannot be deleted; hide them instead");
  requirePermission(chat, "chat.delete", "delete this group");
  const ids = await memberIds(tx, { chatId: chat.id });
  // Soft: hidden from everyone at once, its rows kept (drizzle/0023_soft_deleted_groups.sql).
  await tx.execute(sql`select public.delete_group_chat(${chat.id}::uuid)`);
  publishAfterCommit(tx, {
    type: "chat.updated",
    chatId: chat.id,
    change: "deleted",
    userIds: ids,
    seq: chat.lastSeq,
  });
}

export async function setNotifications(
  tx: Tx,
  params: { userId: string; chatId: string; level: NotificationLevel; mutedUntil?: Date | null },
): Promise<{ notificationLevel: NotificationLevel; mutedUntil: Date | null }> {
  const chat = await loadChatAccess(tx, params);
  const [row] = await tx
    .update(chatMembers)
    .set({ notificationLevel: params.level, mutedUntil: params.mutedUntil ?? null })
    .where(and(eq(chatMembers.chatId, chat.id), eq(chatMembers.userId, params.userId)))
    .returning({
      notificationLevel: chatMembers.notificationLevel,
      mutedUntil: chatMembers.mutedUntil,
    });
  if (!row) throw new AppError("NOT_FOUND", "Chat not found");
  publishAfterCommit(tx, {
    type: "chat.updated",
    chatId: chat.id,
    change: "settings",
    userIds: [params.userId],
    seq: chat.lastSeq,
  });
  return row;
}

/** BAD_REQUEST for a seq past the chat's last message. */
function requireSeqInChat(chat: ChatAccess, seq: number): void {
  if (seq > chat.lastSeq) {
    throw new AppError("BAD_REQUEST", `seq ${seq} is beyond the last message (${chat.lastSeq})`, {
      issues: [{ path: ["seq"], message: `Must be at most ${chat.lastSeq}` }],
    });
  }
}

/** Moves the read or delivered pointer forward (never back); returns the new state. */
export async function movePointer(
  tx: Tx,
  params: { userId: string; chatId: string; seq: number; pointer: "read" | "delivered" },
): Promise<{ lastReadSeq: number; lastDeliveredSeq: number; unreadCount: number }> {
  const chat = await loadChatAccess(tx, params);
  requireSeqInChat(chat, params.seq);
  const [row] = await tx
    .update(chatMembers)
    // Reading the chat also ends a "mark as unread", wherever the pointer was.
    .set(
      params.pointer === "read"
        ? { lastReadSeq: params.seq, unreadFromSeq: null }
        : { lastDeliveredSeq: params.seq },
    )
    .where(and(eq(chatMembers.chatId, chat.id), eq(chatMembers.userId, params.userId)))
    .returning({
      lastReadSeq: chatMembers.lastReadSeq,
      lastDeliveredSeq: chatMembers.lastDeliveredSeq,
    });
  if (!row) throw new AppError("NOT_FOUND", "Chat not found");
  // The chat's topic reaches every member: a read pointer goes there only if all share them.
  const [shared] = await queryRows<{ visible: boolean }>(
    tx,
    sql`select public.read_receipts_shared_in_chat(${chat.id}::uuid) as visible`,
  );
  publishAfterCommit(tx, {
    type: "member.read",
    chatId: chat.id,
    userId: params.userId,
    pointer: params.pointer,
    readVisibleToMembers: shared?.visible === true,
    ...row,
  });
  return { ...row, unreadCount: await unreadCount(tx, params) };
}

/**
 * "Mark as unread" from message `seq`: my chat counts as unread from there (in the list, the
 * badges and the "new messages" line) until I read it again. My read pointer stays, so the
 * others' read receipts do not change.
 */
export async function markUnread(
  tx: Tx,
  params: { userId: string; chatId: string; seq: number },
): Promise<{ unreadFromSeq: number; unreadCount: number }> {
  const chat = await loadChatAccess(tx, params);
  requireSeqInChat(chat, params.seq);
  await tx
    .update(chatMembers)
    .set({ unreadFromSeq: params.seq })
    .where(and(eq(chatMembers.chatId, chat.id), eq(chatMembers.userId, params.userId)));
  publishAfterCommit(tx, {
    type: "chat.updated",
    chatId: chat.id,
    change: "settings",
    userIds: [params.userId],
    seq: chat.lastSeq,
  });
  return { unreadFromSeq: params.seq, unreadCount: await unreadCount(tx, params) };
}
