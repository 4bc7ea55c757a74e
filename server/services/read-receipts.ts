import { sql } from "drizzle-orm";
import { chatMembers } from "@/db/schema";

/**
 * Read pointers as the caller may see them. Read receipts are two-way: a member who turned
 * them off shows nobody their read pointer and sees nobody else's; their own is always
 * theirs. A hidden pointer reads as 0 (nothing read) and no read time, so message status
 * stops at "delivered". The rule itself is the database's `read_pointer_visible()`.
 */
export const readPointerVisible = sql<boolean>`public.read_pointer_visible(${chatMembers.userId})`;

export const visibleLastReadSeq =
  sql<number>`(case when ${readPointerVisible} then ${chatMembers.lastReadSeq} else 0 end)`.mapWith(
    Number,
  );

export const visibleLastReadAt =
  sql<Date | null>`(case when ${readPointerVisible} then ${chatMembers.lastReadAt} end)`.mapWith(
    chatMembers.lastReadAt,
  );
