import type { ChatRole } from "@/contracts/enums";

/**
 * Chat permissions (seed 001, and rooms), defined once. Each workspace role holds a set of
 * them as data (`organization_role`, edited by the workspace's owners and admins); in a
 * group, the group role narrows them further. Procedures check them to answer FORBIDDEN with
 * a clear message; the policies ask `has_permission()` the same (docs/PERMISSIONS.md).
 */
export const CHAT_PERMISSIONS = [
  "chat.view",
  "chat.create_group",
  "chat.manage_group",
  "chat.delete",
  "chat.initiate_call",
  "chat.join_rooms",
  "chat.mention_all",
] as const;
export type ChatPermission = (typeof CHAT_PERMISSIONS)[number];

export const isChatPermission = (value: string): value is ChatPermission =>
  (CHAT_PERMISSIONS as readonly string[]).includes(value);

/** A permission as Better Auth's `chat` resource names it: `chat.create_group` → `create_group`. */
export const chatAction = (permission: ChatPermission) => permission.slice("chat.".length);

/** The `chat` resource's actions, Better Auth's names for the permissions above. */
export const CHAT_ACTIONS: readonly string[] = CHAT_PERMISSIONS.map(chatAction);

/** Better Auth's action back to Parley's permission, when it is one. */
export const chatPermissionOf = (action: string): ChatPermission | null => {
  const permission = `chat.${action}`;
  return isChatPermission(permission) ? permission : null;
};

/** What each permission lets a role do, as the roles page says it. */
export const PERMISSION_DESCRIPTIONS: Record<ChatPermission, string> = {
  "chat.view": "Read and write in the chats they are in (every role has it)",
  "chat.create_group": "Create group chats",
  "chat.manage_group": "Rename groups they are an admin of, add and remove people, moderate",
  "chat.delete": "Delete or hand over groups they own",
  "chat.initiate_call": "Start calls",
  "chat.join_rooms": "Find and join the workspace's public rooms",
  "chat.mention_all": "Notify everyone in a chat with @channel or @here",
};

/** Reading one's chats is every role's: a role without it would be no chat role at all. */
export const FIXED_PERMISSIONS: readonly ChatPermission[] = ["chat.view"];

/** What each group role adds to the workspace role's permissions in a group. */
const GROUP_ROLE_PERMISSIONS: Record<ChatRole, readonly ChatPermission[]> = {
  owner: [
    "chat.view",
    "chat.manage_group",
    "chat.delete",
    "chat.initiate_call",
    "chat.mention_all",
  ],
  admin: ["chat.view", "chat.manage_group", "chat.initiate_call", "chat.mention_all"],
  member: ["chat.view", "chat.initiate_call", "chat.mention_all"],
};
const DIRECT_PERMISSIONS: readonly ChatPermission[] = ["chat.view", "chat.initiate_call"];

/**
 * Whether the caller may do `permission` in this chat: their workspace role must hold it,
 * and for what happens inside a chat, so must their role in it.
 */
export function canInChat(
  chat: {
    type: "direct" | "group";
    myRole: ChatRole | null;
    myPermissions: readonly string[];
  },
  permission: ChatPermission,
): boolean {
  if (!chat.myPermissions.includes(permission)) return false;
  if (permission === "chat.create_group" || permission === "chat.join_rooms") return true;
  if (chat.myRole === null) return false;
  const granted = chat.type === "group" ? GROUP_ROLE_PERMISSIONS[chat.myRole] : DIRECT_PERMISSIONS;
  return granted.includes(permission);
}
