import "server-only";

import { and, eq, sql } from "drizzle-orm";
import { queryRows } from "@/db/rows";
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
  /** The caller's permissions in the request's workspace (its role's, as data). */
  myPermissions: string[];
}

/** The chat as the caller may see it; a chat the caller is not in is NOT_FOUND. */
export async function loadChatAccess(
  tx: Tx,
  params: { userId: string; chatId: string },
): Promise<ChatAccess> {
  const [row] = await tx
    .select({
      id: chats.id,
      type: chats.type,
      lastSeq: chats.lastSeq,
      myRole: chatMembers.role,
      myPermissions: sql<string[]>`public.my_permissions()`,
    })
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

/**
 * FORBIDDEN, with the permission named, unless the caller's role in the request's workspace
 * holds it (for what is not done inside one chat: creating a group, say).
 */
export async function requireWorkspacePermission(
  tx: Tx,
  permission: ChatPermission,
  action: string,
): Promise<void> {
  const [row] = await queryRows<{ allowed: boolean }>(
    tx,
    sql`select public.has_permission(${permission}) as allowed`,
  );
  if (!row?.allowed) {
    throw new AppError(
      "FORBIDDEN",
      `Your role in this workspace cannot ${action} (needs ${permission})`,
      {
        permission,
      },
    );
  }
}
