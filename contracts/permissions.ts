import type { ChatRole } from "@/contracts/enums";

/**
 * Chat permissions (seed 001), defined once. Procedures check them to answer FORBIDDEN with
 * a clear message; the RLS policies in drizzle/0003_chat_security.sql enforce the same rules
 * in the database (docs/PERMISSIONS.md maps each permission to its policies).
 */
export const CHAT_PERMISSIONS = [
  "chat.view",
  "chat.create_group",
  "chat.manage_group",
  "chat.delete",
  "chat.initiate_call",
] as const;
export type ChatPermission = (typeof CHAT_PERMISSIONS)[number];

/** What each member role may do in a group. Direct chats: `chat.view` and calls only. */
const GROUP_ROLE_PERMISSIONS: Record<ChatRole, readonly ChatPermission[]> = {
  owner: ["chat.view", "chat.manage_group", "chat.delete", "chat.initiate_call"],
  admin: ["chat.view", "chat.manage_group", "chat.initiate_call"],
  member: ["chat.view", "chat.initiate_call"],
};
const DIRECT_PERMISSIONS: readonly ChatPermission[] = ["chat.view", "chat.initiate_call"];

/** Every signed-in user may create a group; the rest depends on the role in the chat. */
export function canInChat(
  chat: { type: "direct" | "group"; myRole: ChatRole | null },
  permission: ChatPermission,
): boolean {
  if (permission === "chat.create_group") return true;
  if (chat.myRole === null) return false;
  const granted = chat.type === "group" ? GROUP_ROLE_PERMISSIONS[chat.myRole] : DIRECT_PERMISSIONS;
  return granted.includes(permission);
}
