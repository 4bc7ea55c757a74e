import type { MessageView } from "@/contracts/messages";
import { describeCallLine } from "@/lib/calls/call-text";

const ROLE_PHRASES: Record<string, string> = {
  owner: "the owner",
  admin: "an admin",
  member: "a member",
};

/**
 * The line a system message shows in the conversation ("Ann removed Ben", "You renamed the
 * group to “Launch”"), from what its metadata recorded. The actor is the message's sender;
 * the member named is the one the event recorded, under the name they had then.
 */
export function describeSystemMessage(
  message: Pick<MessageView, "metadata" | "sender">,
  myId: string,
): string {
  const meta = (message.metadata ?? {}) as {
    kind?: string;
    actorId?: string;
    userId?: string;
    userName?: string;
    to?: string;
    name?: string;
  };
  const actorIsMe = (meta.actorId ?? message.sender?.id) === myId;
  const actor = actorIsMe ? "You" : (message.sender?.name ?? "Someone");
  const member = meta.userId === myId ? "you" : (meta.userName ?? "a member");
  const Member = member.charAt(0).toUpperCase() + member.slice(1);
  const call = describeCallLine(meta, actor);
  if (call) return call;
  switch (meta.kind) {
    case "chat_created":
      return `${actor} created the group${meta.name ? ` “${meta.name}”` : ""}`;
    case "member_added":
      return `${actor} added ${member}`;
    case "member_removed":
      return `${actor} removed ${member}`;
    case "member_joined":
      return `${Member} joined`;
    case "member_left":
      return `${Member} left`;
    case "role_changed":
      return `${actor} made ${member} ${ROLE_PHRASES[meta.to ?? ""] ?? meta.to ?? "a member"}`;
    case "message_pinned":
      return `${actor} pinned a message`;
    case "chat_renamed":
      return meta.to ? `${actor} renamed the group to “${meta.to}”` : `${actor} renamed the group`;
    default:
      return "The group was updated";
  }
}
