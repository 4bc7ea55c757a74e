import "server-only";

import { and, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { chatMembers, chats, user } from "@/db/schema";
import type { ChatType } from "@/contracts/enums";

/** What a chat is called to its member: a group's name, or the other person in a direct chat. */
export function chatTitle(type: ChatType, groupName: string | null, otherName: string | null) {
  return type === "group" ? (groupName ?? "Group") : (otherName ?? "Deleted user");
}

/**
 * The other person of a direct chat, for lists of messages across chats (saved, mentions):
 * join `directOther` on `directOtherOn(userId)`, then `directOtherUser` on its user, and
 * title the chat with `chatTitle(chats.type, chats.name, directOtherUser.name)`.
 */
export const directOther = alias(chatMembers, "other");
export const directOtherUser = alias(user, "other_user");

export const directOtherOn = (userId: string) =>
  and(
    eq(chats.type, "direct"),
    eq(directOther.chatId, chats.id),
    sql`${directOther.userId} <> ${userId}::uuid`,
  );
