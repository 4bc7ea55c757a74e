import "server-only";

import type { ChatType } from "@/contracts/enums";

/** What a chat is called to its member: a group's name, or the other person in a direct chat. */
export function chatTitle(type: ChatType, groupName: string | null, otherName: string | null) {
  return type === "group" ? (groupName ?? "Group") : (otherName ?? "Deleted user");
}
