import "server-only";

import { sql } from "drizzle-orm";
import { chatMembers } from "@/db/schema";

/**
 * Read pointers as the caller may see them. Read receipts are two-way: a member who turned
 * them off shows nobody their read pointer and sees nobody else's; their own is always
 * theirs. A hidden pointer reads as 0 (nothing read) and no read time, so message status
 * stops at "delivered". The rule itself is the database's `hidden_read_pointers(chat)`: a
 * set evaluated once per statement, so listing a chat's members costs one lookup, not one
 * per member.
 */
export const readPointerHidden = (chatId: string) =>
  sql<boolean>`(${chatMembers.userId} in (select public.hidden_read_pointers(${chatId}::uuid)))`;

export const readPointerVisible = (chatId: string) =>
  sql<boolean>`not ${readPointerHidden(chatId)}`;

export const visibleLastReadSeq = (chatId: string) =>
  sql<number>`(case when ${readPointerHidden(chatId)} then 0 else ${chatMembers.lastReadSeq} end)`.mapWith(
    Number,
  );

export const visibleLastReadAt = (chatId: string) =>
  sql<Date | null>`(case when ${readPointerHidden(chatId)} then null else ${chatMembers.lastReadAt} end)`.mapWith(
    chatMembers.lastReadAt,
  );
