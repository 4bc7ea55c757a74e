import "server-only";

import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db/types";
import { chatMembers, chats } from "@/db/schema";
import { type ChatRole, type ChatType } from "@/contracts/enums";
import { AppError } from "@/server/errors";
import { canInChat, type ChatPermission } from "@/contracts/permissions";

export interface ChatAccess {
  id: string;
  type: ChatType;
  lastSeq: number;
  myRole: ChatRole;
}

/** The chat as the caller may see it; a chat the caller is not in is NOT_FOUND. */
export async function loadChatAccess(
  tx: Tx,
  params: { userId: string; chatId: string },
): Promise<ChatAccess> {
  const [row] = await tx
    .select({ id: chats.id, type: chats.type, lastSeq: chats.lastSeq, myRole: chatMembers.role })
    .from(chats)
    .innerJoin(
      chatMembers,
      and(eq(chatMembers.chatId, chats.id), eq(chatMembers.userId, params.userId)),
    )
    .where(eq(chats.id, params.chatId));
  if (!row) throw new AppError("NOT_FOUND", "Chat not found");
  return row;
}

/** FORBIDDEN, with the permission named, unless the caller's role grants it. */
export function requirePermission(
  chat: ChatAccess,
  permission: ChatPermission,
  action: string,
): void {
  if (!canInChat(chat, permission)) {
    throw new AppError("FORBIDDEN", `You cannot ${action} (needs ${permission})`, { permission });
  }
}
