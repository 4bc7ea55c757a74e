import "server-only";

import { sql } from "drizzle-orm";
import { queryRows } from "@/db/rows";
import type { Tx } from "@/db/types";
import type { ChatDetail, PublicRoom, RoomDirectoryInput } from "@/contracts/chats";
import { isUuid } from "@/contracts/uuid";
import { AppError } from "@/server/errors";
import { getChat } from "./chat-read";
import { announceMember } from "./chat-write";

interface DirectoryCursor {
  name: string;
  id: string;
}

function encodeCursor(cursor: DirectoryCursor): string {
  return Buffer.from(JSON.stringify([cursor.name, cursor.id])).toString("base64url");
}

function decodeCursor(cursor: string): DirectoryCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === "string" &&
      typeof value[1] === "string" &&
      isUuid(value[1])
    ) {
      return { name: value[0], id: value[1] };
    }
  } catch {
    // Falls through to the refusal.
  }
  throw new AppError("BAD_REQUEST", "Invalid cursor");
}

/**
 * The public rooms anyone signed in can find, by name, those whose name or description holds
 * the query; what a room shows outside (no message of it) and whether the caller is in it.
 * Read through `public_room_directory` (drizzle/0028): chats' own policies show members only.
 */
export async function roomDirectory(
  tx: Tx,
  params: RoomDirectoryInput,
): Promise<{ items: PublicRoom[]; nextCursor: string | null }> {
  const after = params.cursor ? decodeCursor(params.cursor) : null;
  const rows = await queryRows<{
    id: string;
    name: string;
    description: string | null;
    avatarPath: string | null;
    memberCount: number;
    joined: boolean;
  }>(
    tx,
    sql`select * from public.public_room_directory(
          ${params.query || null}, ${after?.name ?? null}, ${after?.id ?? null}::uuid, ${params.limit + 1})`,
  );
  const page = rows.slice(0, params.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      id: r.id,
      name: r.name,
      description: r.description,
      image: r.avatarPath,
      memberCount: r.memberCount,
      joined: r.joined,
    })),
    nextCursor:
      rows.length > params.limit && last ? encodeCursor({ name: last.name, id: last.id }) : null,
  };
}

/**
 * Joins a public room as a member (joining one's own room again changes nothing); a room
 * that is not public is NOT_FOUND, whether or not it exists.
 */
export async function joinRoom(
  tx: Tx,
  params: { userId: string; chatId: string },
): Promise<ChatDetail> {
  const [row] = await queryRows<{ joined: boolean }>(
    tx,
    sql`select public.join_public_room(${params.chatId}::uuid) as joined`,
  );
  if (row?.joined) await announceMember(tx, params.chatId, params.userId, "added");
  return getChat(tx, params);
}
